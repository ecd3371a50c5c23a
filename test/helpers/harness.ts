/**
 * HTTP test harness shared by both runtimes: the same suite runs against the Node
 * app on libSQL and the Worker in workerd on D1 (`#runtime` picks which). Every
 * test makes its own contract owner, so tests never share data.
 */
import { SignJWT } from 'jose';
import { createRuntime, type Runtime } from '#runtime';
import { TEST_JWT_SECRET } from './secrets';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  token?: string | null;
  body?: unknown;
  /** raw body text (sent as is) */
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean>;
}

export interface TokenOptions {
  owners?: Array<number | string>;
  scope?: string;
  sub?: string;
  expiresIn?: number;
  notBefore?: number;
  issuer?: string;
  audience?: string;
  secret?: string;
  claims?: Record<string, unknown>;
}

let counter = 0;
/** A short unique suffix for names and references within a test file. */
export function unique(prefix = 'x'): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}`;
}

export async function signTestToken(options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  let jwt = new SignJWT({ scope: options.scope ?? '*', owners: options.owners ?? ['*'], ...options.claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.sub ?? 'test-user')
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresIn ?? 600));
  if (options.notBefore !== undefined) jwt = jwt.setNotBefore(now + options.notBefore);
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(options.secret ?? TEST_JWT_SECRET));
}

export class Client {
  constructor(
    readonly harness: Harness,
    readonly token: string | null,
  ) {}

  request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    return this.harness.request<T>(method, path, { token: this.token, ...options });
  }
  get<T = any>(path: string, query?: RequestOptions['query'], options: RequestOptions = {}) {
    return this.request<T>('GET', path, { ...options, ...(query ? { query } : {}) });
  }
  head(path: string, query?: RequestOptions['query'], options: RequestOptions = {}) {
    return this.request('HEAD', path, { ...options, ...(query ? { query } : {}) });
  }
  post<T = any>(path: string, body: unknown, options: RequestOptions = {}) {
    return this.request<T>('POST', path, { body, ...options });
  }
  /** JSON Patch */
  patch<T = any>(path: string, operations: unknown, options: RequestOptions = {}) {
    return this.request<T>('PATCH', path, { body: operations, contentType: 'application/json-patch+json', ...options });
  }
  delete(path: string, options: RequestOptions = {}) {
    return this.request('DELETE', path, options);
  }

  /** POSTs and expects 201, returning the created object. */
  async create<T = any>(path: string, body: unknown): Promise<T> {
    const res = await this.post<T>(path, body);
    if (res.status !== 201) throw new Error(`POST ${path} → ${res.status}: ${res.text}`);
    return res.body;
  }
}

export interface Owner {
  id: number;
  token: string;
  api: Client;
  timezone: string;
  currencyCode: string;
}

export class Harness {
  admin!: Client;
  constructor(readonly runtime: Runtime) {}

  get kind() {
    return this.runtime.kind;
  }

  async init(): Promise<this> {
    this.admin = new Client(this, await signTestToken({ owners: ['*'], scope: '*', sub: 'test-admin' }));
    return this;
  }

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const url = new URL(path, 'http://tenor.test');
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, String(v));
    const headers = new Headers(options.headers);
    if (options.token) headers.set('authorization', `Bearer ${options.token}`);
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !headers.has('content-type')) headers.set('content-type', options.contentType ?? 'application/json');
    const response = await this.runtime.fetch(new Request(url, { method, headers, ...(body !== undefined ? { body } : {}) }));
    const text = await response.text();
    let parsed: unknown = text;
    if (text && /[/+]json\b/.test(response.headers.get('content-type') ?? '')) parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  client(token: string | null): Client {
    return new Client(this, token);
  }

  /** A fresh contract owner and a client whose token acts for it alone, with every scope. */
  async newOwner(overrides: Record<string, unknown> = {}, scope = '*'): Promise<Owner> {
    const owner = await this.admin.create('/v1/contract-owners', {
      name: unique('Owner '),
      availableFrom: '2020-01-01',
      ...overrides,
    });
    const token = await signTestToken({ owners: [owner.id], scope, sub: `owner-${owner.id}` });
    return { id: owner.id, token, api: new Client(this, token), timezone: owner.timezone, currencyCode: owner.currencyCode };
  }
}

/** The app on this project's runtime; `settings` override its configuration (vars on the Worker). */
export async function harness(settings: Record<string, string> = {}): Promise<Harness> {
  return new Harness(await createRuntime(settings)).init();
}

/** Asserts a problem+json error with the status; returns the problem body. */
export function expectProblem(res: ApiResponse, status: number): any {
  if (res.status !== status || !/application\/problem\+json/.test(res.headers.get('content-type') ?? '')) {
    throw new Error(`expected problem ${status}, got ${res.status} ${res.headers.get('content-type')}: ${res.text}`);
  }
  return res.body;
}
