/**
 * Helpers for suites that talk to Tenor the way a simPRO client does: paths
 * under /api/v1.0/companies/{companyID}, PascalCase bodies, PATCH as a partial
 * JSON object. Each creates what it needs and throws unless simPRO's status.
 */
import * as make from './factories';
import type { ApiResponse, Client, Owner } from './harness';

export class Simpro {
  constructor(
    readonly api: Client,
    /** the companyID of the paths: an owner id, or 0 for the token's only owner */
    readonly company: number | string,
  ) {}

  get base(): string {
    return `/api/v1.0/companies/${this.company}`;
  }

  contracts(customerId: number): string {
    return `${this.base}/customers/${customerId}/contracts/`;
  }

  contract(customerId: number, contractId: number): string {
    return `${this.base}/customers/${customerId}/contracts/${contractId}`;
  }

  get(path: string, query?: Record<string, string | number>): Promise<ApiResponse> {
    return this.api.get(path, query);
  }

  post(path: string, body: unknown): Promise<ApiResponse> {
    return this.api.request('POST', path, { body });
  }

  /** simPRO's PATCH: a partial JSON object */
  patch(path: string, body: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
    return this.api.request('PATCH', path, { body, headers });
  }

  delete(path: string, headers: Record<string, string> = {}): Promise<ApiResponse> {
    return this.api.request('DELETE', path, { headers });
  }

  /** POSTs and expects 201, returning the created object. */
  async create(path: string, body: unknown): Promise<any> {
    const res = await this.post(path, body);
    if (res.status !== 201) throw new Error(`POST ${path} → ${res.status}: ${res.text}`);
    return res.body;
  }

  pricingTier(body: Record<string, unknown> = {}) {
    return this.create(`${this.base}/setup/materials/pricingTiers/`, { Name: 'Tier 1 (Service name)', DefaultMarkup: 10, ...body });
  }

  serviceFee(body: Record<string, unknown> = {}) {
    return this.create(`${this.base}/setup/labor/serviceFees/`, { Name: 'Call-out fee', Price: 85, ...body });
  }

  serviceLevel(body: Record<string, unknown> = {}) {
    return this.create(`${this.base}/setup/assets/serviceLevels/`, { Name: 'Annually Service', Years: 1, Months: 0, Days: 0, ...body });
  }

  assetType(body: Record<string, unknown> = {}) {
    return this.create(`${this.base}/setup/assetTypes/`, { Name: 'Fire Extinguisher', ...body });
  }

  link(assetTypeId: number, serviceLevelId: number, body: Record<string, unknown> = {}) {
    return this.create(`${this.base}/setup/assetTypes/${assetTypeId}/serviceLevels/`, { ServiceLevel: serviceLevelId, ...body });
  }

  customField(body: Record<string, unknown> = {}) {
    return this.create(`${this.base}/setup/customFields/customerContracts/`, { Name: 'Site access code', Type: 'Text', ...body });
  }

  /** a contract of the customer from a simPRO body */
  newContract(customerId: number, body: Record<string, unknown> = {}) {
    return this.create(this.contracts(customerId), { Name: 'Annual maintenance', ...body });
  }
}

/** A simPRO client for an owner, addressing it by its id (or 0). */
export function simproOf(owner: Owner, company: number | string = owner.id): Simpro {
  return new Simpro(owner.api, company);
}

export { make };
