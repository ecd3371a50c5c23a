import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../http/middleware';
import { describeTag } from '../http/openapi';
import { registerAppClients } from './v1/app-clients';
import { registerChargeGroupCategories } from './v1/charge-group-categories';
import { registerChargeGroups } from './v1/charge-groups';
import { registerContractOwners } from './v1/contract-owners';
import { registerContractProfiles } from './v1/contract-profiles';
import { registerCustomerContractAssignments } from './v1/customer-contract-assignments';
import { registerCustomerContracts } from './v1/customer-contracts';
import { registerCustomers } from './v1/customers';
import { registerEvents } from './v1/events';
import { registerJobs } from './v1/jobs';
import { registerMe } from './v1/me';
import { registerRentalProductCategories } from './v1/rental-product-categories';
import { registerRentalProductInventories } from './v1/rental-product-inventories';
import { registerRentalEtcs } from './v1/rental-etcs';
import { registerRentalProducts } from './v1/rental-products';
import { registerSites } from './v1/sites';
import { registerUsageProductInventories } from './v1/usage-product-inventories';
import { registerUsageProducts } from './v1/usage-products';
import { registerPricingAssignments } from './v1/pricing-assignments';
import { registerInclusiveUsageBalances } from './v2/inclusive-usage-balances';
import { registerInclusiveUsagePlans } from './v2/inclusive-usage-plans';
import { registerContractPriceSteps } from './v2/contract-price-steps';
import { registerPriceAdaptations } from './v2/price-adaptations';
import { registerRentalCharges } from './v2/rental-charges';
import { registerRentalDiscountPlanRules } from './v2/rental-discount-plan-rules';
import { registerRentalDiscountPlans } from './v2/rental-discount-plans';
import { registerRentalRateCards } from './v2/rental-rate-cards';
import { registerRentalRates } from './v2/rental-rates';
import { registerTimeBandPlans } from './v2/time-band-plans';
import { registerUsageRateCards } from './v2/usage-rate-cards';
import { registerUsageRates } from './v2/usage-rates';
import { registerUsageRecords } from './v2/usage-records';
import { registerWebhookSubscriptions } from './v1/webhook-subscriptions';
import { registerInstellix } from './instellix';
import { registerSimpro } from './simpro';

/** What each tag of /v1 and /v2 holds: the introduction of its section in /docs. */
const TAGS: Record<string, string> = {
  'Contract owners': 'The billing entities that own customers, contracts, products and prices; every token names the owners it may act for.',
  Customers: 'The contract owner’s customers, billed on their contracts.',
  Sites: 'A customer’s locations, where rental and usage products are installed.',
  'Rental product categories': 'Groups of rental products, for discount plan rules.',
  'Rental products': 'What is rented out and charged on a schedule.',
  'Rental product inventories': 'Rental products installed for a customer at a site (RPIs), the items contracts and rental charges cover.',
  'Usage products': 'What is charged by use, rated from usage records.',
  'Usage product inventories': 'Usage products installed for a customer at a site (UPIs), the items usage records are rated for.',
  'Charge group categories': 'Groups of charge groups.',
  'Charge groups': 'How usage is grouped on rate cards and invoices.',
  Me: 'Who the bearer token says the caller is: its subject, owners, scopes and app client.',
  'App clients': 'Machine clients that exchange a client id and secret for a token (POST /v1/authenticate).',
  Jobs: 'The scheduled jobs (renewal, expiry, alerts, webhook delivery): their runs, and a run on demand.',
  'Contract profiles': 'Contract templates: term, early termination charges, notice and renewal alert periods, rollover; a change of terms makes a new version.',
  'Customer contracts': 'Contracts of a customer on a profile (dates, renewal, termination), the items they cover (assignments) and their early termination charges (rental ETCs).',
  'Time band plans': 'Peak and off-peak time bands for usage rates.',
  'Usage rate cards': 'Dated price lists for usage products.',
  'Usage rates': 'The rates of a usage rate card.',
  'Rental rate cards': 'Dated price lists for rental products.',
  'Rental rates': 'The rates of a rental rate card.',
  'Inclusive usage plans': 'Allowances of usage included in a price, drawn down by rated usage.',
  'Rental discount plans': 'Discounts on rental charges, with their rules.',
  'Price adaptations':
    'Rules that raise a contract’s prices over time (a fixed percentage or an index, at renewals or yearly anniversaries), explicit dated steps of one contract, and the steps the lifecycle job has applied.',
  'Pricing assignments': 'Which rate cards, inclusive usage plans and discount plans apply to a customer, a site or one item, and from when.',
  'Rental charges': 'Computed, read-only: the rental charge lines of a customer’s items over a period.',
  'Usage records': 'Usage to rate: batches of records, each rated once against the applicable rate card and allowances.',
  'Inclusive usage balances': 'Computed, read-only: what is left of each allowance on a date.',
  Webhooks: 'Subscriptions to events, signed deliveries with retries, and their delivery log.',
  Events: 'The history of changes (the outbox webhooks are delivered from), oldest first, in pages a poller follows by their next link.',
  instellix:
    'instellix’s (formerly Nitrobox’s) contract API: plans over contract profiles, debtors over customers, contracts and their termination actions — the same contracts as /v1 (README: Coming from instellix / Nitrobox).',
  'simPRO: customer contracts':
    'simPRO’s customer contract API (REST v1.0) under /api/v1.0/companies/{companyID}: contracts, their custom fields and service levels, the company-wide search — the same contracts as /v1 (README: Coming from simPRO).',
  'simPRO: setup': 'simPRO’s setup lists the contracts refer to: contract custom fields, pricing tiers, service fees, service levels and asset types.',
};

/** Every surface's routes, in one list. */
export function registerRoutes(app: OpenAPIHono<AppEnv>): void {
  for (const [name, description] of Object.entries(TAGS)) describeTag(app, name, description);
  registerContractOwners(app);
  registerCustomers(app);
  registerSites(app);
  registerRentalProductCategories(app);
  registerRentalProducts(app);
  registerRentalProductInventories(app);
  registerUsageProducts(app);
  registerUsageProductInventories(app);
  registerChargeGroupCategories(app);
  registerChargeGroups(app);
  registerAppClients(app);
  registerMe(app);
  registerJobs(app);
  registerContractProfiles(app);
  registerCustomerContracts(app);
  registerCustomerContractAssignments(app);
  registerRentalEtcs(app);
  registerTimeBandPlans(app);
  registerUsageRateCards(app);
  registerUsageRates(app);
  registerRentalRateCards(app);
  registerRentalRates(app);
  registerInclusiveUsagePlans(app);
  registerRentalDiscountPlans(app);
  registerRentalDiscountPlanRules(app);
  registerPriceAdaptations(app);
  registerContractPriceSteps(app);
  registerPricingAssignments(app);
  registerRentalCharges(app);
  registerUsageRecords(app);
  registerInclusiveUsageBalances(app);
  registerWebhookSubscriptions(app);
  registerInstellix(app);
  registerSimpro(app);
  registerEvents(app);
}
