/**
 * The pricing part of the benchmark data set (spec/quality.md: "rate cards, plans
 * and assignments"), for the usage scenario (U1) and the rental side alike.
 *
 * 1. A catalogue per contract owner, made through the app itself in process
 *    (POSTs to /v1 and /v2 on the seeded file, clock fixed at the data's time),
 *    so every stored value — rates × 10^4, quantities in millionths, card owners
 *    and currency, nested components — is the one the API writes: usage products
 *    (calls, data), charge groups, time band plans, usage rate cards with rates
 *    per charge group and band, inclusive usage plans with QUANTITY and VALUE
 *    components, rental rate cards with a rate per product, discount plans with
 *    rules. About 30 requests per owner.
 * 2. The many rows per customer in plain SQL, in the values the inventory and
 *    assignment services write (the target's owner, customer and site copied,
 *    the card's usage product or category copied, audit columns): usage product
 *    inventories (UPIs), and assignments of the cards and plans at CUSTOMER, SITE
 *    and INVENTORY level — one of each kind per target and product or category,
 *    an INVENTORY-level discount only under a CUSTOMER-level one, as the API
 *    requires.
 */
import { randomBytes } from 'node:crypto';
import { createApp } from '../../src/app';
import { parseConfig } from '../../src/config';
import { createDeps } from '../../src/runtime';
import { openLocalDatabase } from '../../src/db/node';
import { signToken } from '../../src/http/auth';
import type { LocalClient } from '../../src/db/node';
import type { Random } from './random';

/** What the pricing seed reads of an owner the data set made (bench/lib/dataset.ts). */
export interface Owner {
  id: number;
  products: number[];
  /** category name → id, and each product's category */
  categories: Map<string, number>;
  productCategory: Map<number, number>;
  customerList: Array<{ id: number; startDate: string; sites: number[] }>;
}

/** What the pricing seed uses of the data set's writer and state. */
export interface SeedContext {
  readonly writer: { readonly client: LocalClient; insert(table: string, columns: readonly string[], values: readonly unknown[]): number };
  readonly random: Random;
  readonly owners: readonly Owner[];
  readonly nowIso: string;
}

const FROM = '2015-01-01';
const SEED_ACTOR = 'seed';

export type UsageKind = 'voice' | 'data';

/** Charge groups by usage kind; `weight` is their share of the usage records the benchmark posts (U1). */
export const CHARGE_GROUPS = [
  { key: 'local', kind: 'voice', name: 'UK local calls', type: 'LOCAL', weight: 25 },
  { key: 'national', kind: 'voice', name: 'UK national calls', type: 'NATIONAL', weight: 35 },
  { key: 'mobile', kind: 'voice', name: 'UK mobile calls', type: 'NATIONAL', weight: 25 },
  { key: 'international', kind: 'voice', name: 'International calls', type: 'GENERAL', weight: 10 },
  // priced as a MARKUP on the record's cost
  { key: 'premium', kind: 'voice', name: 'Premium rate calls', type: 'GENERAL', weight: 5 },
  { key: 'dataUk', kind: 'data', name: 'UK mobile data', type: 'NATIONAL', weight: 90 },
  { key: 'dataRoaming', kind: 'data', name: 'Roaming data', type: 'GENERAL', weight: 10 },
] as const;

export type ChargeGroupKey = (typeof CHARGE_GROUPS)[number]['key'];
export const MARKUP_GROUPS: ReadonlySet<string> = new Set<ChargeGroupKey>(['premium']);

const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI'];
const week = (peakFrom: string, peakTo: string) => [
  { timeband: 'OFFPEAK', days: WEEKDAYS, from: '00:00', to: peakFrom },
  { timeband: 'PEAK', days: WEEKDAYS, from: peakFrom, to: peakTo },
  { timeband: 'OFFPEAK', days: WEEKDAYS, from: peakTo, to: '24:00' },
  { timeband: 'WEEKEND', days: ['SAT', 'SUN'], from: '00:00', to: '24:00' },
];

type Rates = Partial<Record<ChargeGroupKey, Record<string, unknown>>>;
const variable = (peak: number, offPeak: number, weekend: number, unit: number, extra: Record<string, unknown> = {}) => ({
  usageRateType: 'VARIABLE',
  peakValue: peak,
  offPeakValue: offPeak,
  weekendValue: weekend,
  variableChargeUnitSize: unit,
  ...extra,
});
const markup = (percent: number) => ({ usageRateType: 'MARKUP', peakValue: percent, offPeakValue: percent, weekendValue: percent });

/** Usage rate cards (SELL): per started minute on the standard week, per second on the extended day, data per MB. */
const USAGE_CARDS = {
  businessVoice: {
    name: 'Business voice',
    kind: 'voice',
    decimalPlaces: 4,
    week: 'standard',
    rates: {
      local: variable(1.2, 0.6, 0.4, 60),
      national: variable(1.5, 0.8, 0.5, 60),
      mobile: variable(4, 2.5, 2, 60),
      international: variable(12, 10, 10, 60, { peakInitialCharge: 5, peakInitialPeriod: 60, offPeakInitialCharge: 5, offPeakInitialPeriod: 60, weekendInitialCharge: 5, weekendInitialPeriod: 60 }),
      premium: markup(25),
    } satisfies Rates,
  },
  voicePlus: {
    name: 'Business voice plus (per second)',
    kind: 'voice',
    decimalPlaces: 4,
    week: 'extended',
    rates: {
      local: variable(0.015, 0.01, 0.005, 1),
      national: variable(0.02, 0.012, 0.008, 1),
      mobile: variable(0.05, 0.04, 0.03, 1),
      international: variable(0.15, 0.12, 0.12, 1, { peakMinimum: 2, offPeakMinimum: 2, weekendMinimum: 2 }),
      premium: markup(15),
    } satisfies Rates,
  },
  data: {
    name: 'Mobile data',
    kind: 'data',
    decimalPlaces: 2,
    week: null,
    rates: {
      dataUk: variable(0.5, 0.5, 0.5, 1, { quantityRoundingIncrement: 0.1 }),
      dataRoaming: variable(25, 25, 25, 1, { quantityRoundingIncrement: 0.1 }),
    } satisfies Rates,
  },
} as const;

export interface Catalogue {
  owner: Owner;
  products: Record<UsageKind, number>;
  chargeGroups: Record<ChargeGroupKey, number>;
  usageCards: Record<keyof typeof USAGE_CARDS, number>;
  plans: { voice1000: number; peak100: number; data5gb: number };
  /** category id → its standard SELL card; and the partner card of Connectivity */
  rentalCards: Map<number, number>;
  partnerCard: number;
  partnerCategory: number;
  discounts: { loyalty: number; hardware: number };
  hardwareCategory: number;
}

class InProcessApi {
  private constructor(
    private readonly app: ReturnType<typeof createApp>,
    private readonly token: string,
    readonly close: () => Promise<void>,
  ) {}

  /** The app on the seeded file, acting as `seed` for every owner, its clock at `now`. */
  static async open(url: string, now: number): Promise<InProcessApi> {
    const database = openLocalDatabase(url);
    const config = parseConfig({ TENOR_ENV: 'production', JWT_SECRET: randomBytes(32).toString('base64url'), LOG_REQUESTS: 'false', JOBS_ENABLED: 'false' });
    const deps = createDeps({ config, database, clock: () => now, log: () => {} });
    const app = createApp({ deps: () => deps });
    const token = (await signToken(config, { sub: SEED_ACTOR, scope: '*', owners: ['*'], ttlSeconds: 3600 }))!;
    return new InProcessApi(app, token, () => database.close());
  }

  async create(path: string, body: Record<string, unknown>): Promise<{ id: number } & Record<string, unknown>> {
    const res = await this.app.request(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`seed: POST ${path} answered ${res.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text) as { id: number };
  }
}

/** Each owner's catalogue, made through the app (the seed's own transaction must be committed first). */
export async function createCatalogues(url: string, owners: readonly Owner[], now: number): Promise<Catalogue[]> {
  const api = await InProcessApi.open(url, now);
  try {
    const catalogues: Catalogue[] = [];
    for (const owner of owners) catalogues.push(await createCatalogue(api, owner));
    return catalogues;
  } finally {
    await api.close();
  }
}

async function createCatalogue(api: InProcessApi, owner: Owner): Promise<Catalogue> {
  const contractOwnerId = owner.id;
  const products = {
    voice: (await api.create('/v1/usage-products', { contractOwnerId, name: 'Outbound calls', direction: 'OUTBOUND', chargingUnit: 'SECOND', availableFrom: FROM })).id,
    data: (await api.create('/v1/usage-products', { contractOwnerId, name: 'Mobile data', chargingUnit: 'MEGABYTE', availableFrom: FROM })).id,
  };
  const categories = {
    voice: (await api.create('/v1/charge-group-categories', { contractOwnerId, name: 'Voice', chargingUnitType: 'DURATION' })).id,
    data: (await api.create('/v1/charge-group-categories', { contractOwnerId, name: 'Data', chargingUnitType: 'DATA' })).id,
  };
  const chargeGroups = {} as Record<ChargeGroupKey, number>;
  for (const g of CHARGE_GROUPS) {
    chargeGroups[g.key] = (await api.create('/v1/charge-groups', { chargeGroupCategoryId: categories[g.kind], name: g.name, type: g.type, startDate: FROM })).id;
  }
  const weeks = {
    standard: (await api.create('/v2/time-band-plans', { contractOwnerId, name: 'Standard business week', bands: week('08:00', '18:00') })).id,
    extended: (await api.create('/v2/time-band-plans', { contractOwnerId, name: 'Extended day week', bands: week('07:00', '19:00') })).id,
  };

  const usageCards = {} as Record<keyof typeof USAGE_CARDS, number>;
  for (const [key, card] of Object.entries(USAGE_CARDS) as Array<[keyof typeof USAGE_CARDS, (typeof USAGE_CARDS)[keyof typeof USAGE_CARDS]]>) {
    usageCards[key] = (
      await api.create('/v2/usage-rate-cards', {
        contractOwnerIds: [contractOwnerId],
        name: card.name,
        rateCardType: 'SELL',
        availableFrom: FROM,
        usageProductId: products[card.kind],
        decimalPlaces: card.decimalPlaces,
        priceRoundingStyle: 'MATHEMATICAL',
        defaultMinCharge: 0,
        usageRates: Object.entries(card.rates).map(([group, rate]) => ({ chargeGroupId: chargeGroups[group as ChargeGroupKey], startDate: FROM, ...rate })),
        timeBandPlans: card.week ? [{ timeBandPlanId: weeks[card.week], startDate: FROM }] : [],
      })
    ).id;
  }

  const plans = {
    // 1,000 UK minutes a month, and £5 (500p) of any voice charges
    voice1000: (
      await api.create('/v2/inclusive-usage-plans', {
        contractOwnerId,
        name: '1,000 UK minutes',
        usageProductId: products.voice,
        availableFrom: FROM,
        frequency: 'MONTHLY',
        inclusiveUsageComponents: [
          {
            description: '1,000 UK minutes',
            componentType: 'QUANTITY',
            chargingType: 'DURATION',
            quantity: 60_000,
            chargeGroups: [{ chargeGroupId: chargeGroups.local }, { chargeGroupId: chargeGroups.national }, { chargeGroupId: chargeGroups.mobile }],
          },
          { description: '£5 of calls', componentType: 'VALUE', chargingType: 'DURATION', valueInPence: 500, chargeGroupCategories: [{ chargeGroupCategoryId: categories.voice }] },
        ],
      })
    ).id,
    // a small peak bundle that runs out (exhausted events), unused minutes kept one month
    peak100: (
      await api.create('/v2/inclusive-usage-plans', {
        contractOwnerId,
        name: '100 peak national minutes',
        usageProductId: products.voice,
        availableFrom: FROM,
        frequency: 'MONTHLY',
        rolloverPeriods: 1,
        inclusiveUsageComponents: [
          { componentType: 'QUANTITY', chargingType: 'DURATION', quantity: 6_000, timebands: [{ timeband: 'PEAK' }], chargeGroups: [{ chargeGroupId: chargeGroups.national }] },
        ],
      })
    ).id,
    data5gb: (
      await api.create('/v2/inclusive-usage-plans', {
        contractOwnerId,
        name: '5 GB UK data',
        usageProductId: products.data,
        availableFrom: FROM,
        frequency: 'MONTHLY',
        inclusiveUsageComponents: [{ componentType: 'QUANTITY', chargingType: 'DATA', quantity: 5_120, chargeGroups: [{ chargeGroupId: chargeGroups.dataUk }] }],
      })
    ).id,
  };

  // a standard card per rental category with a monthly rate per product, and a partner card for Connectivity
  const rentalCards = new Map<number, number>();
  const productsOf = (categoryId: number) => owner.products.filter((p) => owner.productCategory.get(p) === categoryId);
  const rate = (rentalProductId: number, price: number) => ({
    rentalProductId,
    price,
    rentalRatePriceType: 'RENTAL',
    rentalRateType: 'ADVANCE',
    periodsInAdvance: 'STANDARD',
    rentalRateFrequency: 'MONTHLY',
    startDate: FROM,
  });
  for (const [name, categoryId] of owner.categories) {
    const card = await api.create('/v2/rental-rate-cards', {
      contractOwnerIds: [contractOwnerId],
      name: `${name} standard`,
      rentalRateCardType: 'SELL',
      rentalProductCategoryId: categoryId,
      availableFrom: FROM,
      rentalRates: productsOf(categoryId).map((p, i) => rate(p, 12 + 9 * i + 0.99)),
    });
    rentalCards.set(categoryId, card.id);
  }
  const partnerCategory = owner.categories.get('Connectivity')!;
  const partnerCard = (
    await api.create('/v2/rental-rate-cards', {
      contractOwnerIds: [contractOwnerId],
      name: 'Connectivity partner',
      rentalRateCardType: 'SELL',
      rentalProductCategoryId: partnerCategory,
      availableFrom: FROM,
      rentalRates: productsOf(partnerCategory).map((p, i) => rate(p, 10 + 8 * i + 0.5)),
    })
  ).id;

  const hardwareCategory = owner.categories.get('Hardware')!;
  const loyalty = (await api.create('/v2/rental-discount-plans', { contractOwnerId, name: 'Loyalty 10%', code: 'LOYAL10', durationInMonths: 12, availableFrom: FROM })).id;
  for (const category of ['Connectivity', 'Voice']) {
    await api.create('/v2/rental-discount-plan-rules', { rentalDiscountPlanId: loyalty, productCategoryId: owner.categories.get(category)!, discountPercentage: 10 });
  }
  const hardware = (await api.create('/v2/rental-discount-plans', { contractOwnerId, name: 'Hardware half price', code: 'HW50', durationInMonths: 6, availableFrom: FROM })).id;
  await api.create('/v2/rental-discount-plan-rules', { rentalDiscountPlanId: hardware, productCategoryId: hardwareCategory, discountPercentage: 50 });

  return { owner, products, chargeGroups, usageCards, plans, rentalCards, partnerCard, partnerCategory, discounts: { loyalty, hardware }, hardwareCategory };
}

const AUDIT = ['created_date', 'updated_date', 'created_by', 'updated_by', 'version'] as const;
const ASSIGNMENT = ['contract_owner_id', 'assignment_level', 'customer_id', 'site_id', 'start_date', 'end_date', ...AUDIT] as const;

/**
 * UPIs and the assignments of cards and plans, per customer of each catalogue's
 * owner. Shares (of customers, sites or inventories):
 * - UPIs: a calls line at 70 % of sites; a data SIM at 25 % of customers.
 * - Usage rate cards: calls customers get Business voice (78 %) or the per-second
 *   card (20 %; 2 % none: their records are UNRATED); 10 % of their sites and 3 %
 *   of lines have the per-second card as an override; data customers get the data card.
 * - Inclusive usage plans: 1,000 minutes for half the calls customers, the peak
 *   bundle on 15 % of calls sites, 5 GB on 80 % of SIMs.
 * - Rental rate cards: every customer the standard card of each category; the
 *   partner card on 5 % of sites and 3 % of Connectivity inventories.
 * - Discount plans: Loyalty for 20 % of customers; Hardware half price on 30 % of
 *   their Hardware inventories (covered by the customer's Loyalty from its start).
 */
export function seedPricingAssignments(ctx: SeedContext, catalogues: readonly Catalogue[]): Record<string, number> {
  const { writer, random, nowIso } = ctx;
  const audit = [nowIso, nowIso, SEED_ACTOR, SEED_ACTOR, 1];
  const counts: Record<string, number> = {};
  const assign = (table: string, extra: readonly string[], values: readonly unknown[]) => {
    writer.insert(table, [...ASSIGNMENT, ...extra], values);
    counts[table] = (counts[table] ?? 0) + 1;
  };
  type Target = { level: 'CUSTOMER' | 'SITE' | 'INVENTORY'; customerId: number; siteId: number | null; start: string };
  const usageCard = (t: Target, ownerId: number, upiId: number | null, cardId: number, productId: number) =>
    assign('usage_rate_card_assignments', ['usage_product_inventory_id', 'usage_rate_card_id', 'usage_product_id'], [
      ownerId, t.level, t.customerId, t.siteId, t.start, null, ...audit, upiId, cardId, productId,
    ]);
  const plan = (t: Target, ownerId: number, upiId: number | null, planId: number, productId: number) =>
    assign('inclusive_usage_plan_assignments', ['usage_product_inventory_id', 'inclusive_usage_plan_id', 'usage_product_id'], [
      ownerId, t.level, t.customerId, t.siteId, t.start, null, ...audit, upiId, planId, productId,
    ]);
  const rentalCard = (t: Target, ownerId: number, rpiId: number | null, cardId: number, categoryId: number) =>
    assign('rental_rate_card_assignments', ['rental_product_inventory_id', 'rental_rate_card_id', 'rental_product_category_id'], [
      ownerId, t.level, t.customerId, t.siteId, t.start, null, ...audit, rpiId, cardId, categoryId,
    ]);
  const discount = (t: Target, ownerId: number, rpiId: number | null, planId: number) =>
    assign('rental_discount_plan_assignments', ['rental_product_inventory_id', 'rental_discount_plan_id'], [
      ownerId, t.level, t.customerId, t.siteId, t.start, null, ...audit, rpiId, planId,
    ]);
  const rpisOf = writer.client.prepare(
    'select id, site_id, rental_product_id, start_date from rental_product_inventories where customer_id = ? order by id',
  ).raw();

  for (const cat of catalogues) {
    const owner = cat.owner;
    const ownerId = owner.id;
    let lineNumber = 0;
    for (const customer of owner.customerList) {
      const atCustomer: Target = { level: 'CUSTOMER', customerId: customer.id, siteId: null, start: customer.startDate };
      const atSite = (siteId: number): Target => ({ level: 'SITE', customerId: customer.id, siteId, start: customer.startDate });
      const upi = (siteId: number, kind: UsageKind, reference: string) => {
        const id = writer.insert(
          'usage_product_inventories',
          ['contract_owner_id', 'customer_id', 'site_id', 'usage_product_id', 'reference', 'start_date', 'end_date', ...AUDIT],
          [ownerId, customer.id, siteId, cat.products[kind], reference, customer.startDate, null, ...audit],
        );
        counts.usage_product_inventories = (counts.usage_product_inventories ?? 0) + 1;
        return { id, siteId, level: 'INVENTORY' as const, customerId: customer.id, start: customer.startDate };
      };

      // usage: lines and SIMs, their cards and plans
      const lines = customer.sites.filter(() => random.chance(0.7)).map((siteId) => upi(siteId, 'voice', `01632${String(++lineNumber).padStart(6, '0')}`));
      const sim = random.chance(0.25) ? upi(random.pick(customer.sites), 'data', `SIM-${ownerId}-${String(++lineNumber).padStart(7, '0')}`) : null;
      if (lines.length > 0) {
        const r = random.next();
        const card = r < 0.78 ? cat.usageCards.businessVoice : r < 0.98 ? cat.usageCards.voicePlus : null;
        if (card !== null) usageCard(atCustomer, ownerId, null, card, cat.products.voice);
        if (random.chance(0.5)) plan(atCustomer, ownerId, null, cat.plans.voice1000, cat.products.voice);
        for (const siteId of new Set(lines.map((l) => l.siteId))) {
          if (card === cat.usageCards.businessVoice && random.chance(0.1)) usageCard(atSite(siteId), ownerId, null, cat.usageCards.voicePlus, cat.products.voice);
          if (random.chance(0.15)) plan(atSite(siteId), ownerId, null, cat.plans.peak100, cat.products.voice);
        }
        for (const line of lines) {
          if (random.chance(0.03)) usageCard(line, ownerId, line.id, cat.usageCards.voicePlus, cat.products.voice);
        }
      }
      if (sim) {
        if (random.chance(0.98)) usageCard(atCustomer, ownerId, null, cat.usageCards.data, cat.products.data);
        if (random.chance(0.8)) plan(sim, ownerId, sim.id, cat.plans.data5gb, cat.products.data);
      }

      // rentals: the standard card of every category; partner prices for some sites and inventories
      for (const [categoryId, cardId] of cat.rentalCards) rentalCard(atCustomer, ownerId, null, cardId, categoryId);
      for (const siteId of customer.sites) {
        if (random.chance(0.05)) rentalCard(atSite(siteId), ownerId, null, cat.partnerCard, cat.partnerCategory);
      }
      const loyal = random.chance(0.2);
      if (loyal) discount(atCustomer, ownerId, null, cat.discounts.loyalty);
      for (const [rpiId, siteId, productId, start] of rpisOf.all(customer.id) as Array<[number, number, number, string]>) {
        const category = owner.productCategory.get(productId);
        // an inventory-level assignment starts no earlier than its inventory or the customer-level one covering it
        const at: Target = { level: 'INVENTORY', customerId: customer.id, siteId, start: start > customer.startDate ? start : customer.startDate };
        if (category === cat.partnerCategory && random.chance(0.03)) rentalCard(at, ownerId, rpiId, cat.partnerCard, category);
        if (loyal && category === cat.hardwareCategory && random.chance(0.3)) discount(at, ownerId, rpiId, cat.discounts.hardware);
      }
    }
  }
  return counts;
}
