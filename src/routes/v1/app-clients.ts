/**
 * App clients (admin): service identities that exchange a client id and secret
 * for a 15-minute token at POST /v1/authenticate. The secret is shown once, in
 * the response that creates the client, and only its salted hash is stored.
 *
 * A client acts for a list of owners rather than one, so tenancy here is "the
 * client's owners are a subset of the caller's" instead of an owner column; a
 * caller can neither see nor hand out more than its own token holds.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Ctx } from '../../context';
import { auditOnInsert, concurrentChange, listPage, type ResourceService, updateRow } from '../../db/crud';
import { inList } from '../../db/client';
import { appClients } from '../../db/schema';
import { coversOwners, type Tenant } from '../../db/tenancy';
import { grantsScope, isValidScope, signToken } from '../../http/auth';
import { CLIENT_ID_BYTES, CLIENT_SECRET_BYTES, hashSecret, newSecret, randomToken, SALT_BYTES, secretMatches } from '../../http/credentials';
import type { AppContext, AppEnv } from '../../http/middleware';
import { ApiError } from '../../http/problem';
import { methodNotAllowed, outputSchema, registerResource } from '../../http/resource';
import { entityId, errorResponses, name, NoQuery } from '../../http/schemas';

export const TOKEN_TTL_SECONDS = 15 * 60;

const ownerList = z
  .array(z.union([entityId(), z.literal('*')]))
  .min(1)
  .max(1000)
  .refine((owners) => !owners.includes('*') || owners.length === 1, { message: 'must be ["*"] or a list of owner ids' })
  .refine((owners) => new Set(owners).size === owners.length, { message: 'must not repeat an owner' })
  .openapi({ example: [1, 2], description: 'Contract owner ids the client acts for, or ["*"] for all' });

const scopeText = z
  .string()
  .max(500)
  .refine(isValidScope, { message: 'must be space-separated scopes: *, or <area>:read|write|* with area contracts, pricing, customers, webhooks or admin' })
  .openapi({ example: 'contracts:* customers:read', description: 'Space-separated scopes the client’s tokens carry' });

export const AppClientInput = z
  .object({
    name: name(100, 'Billing integration'),
    owners: ownerList,
    scope: scopeText,
  })
  .strict();

export const AppClient = outputSchema(
  AppClientInput,
  { clientId: z.string().openapi({ example: 'q1C5m0bN3yJ8kq2Vd7XhZw', description: 'read-only: the id to authenticate with' }) },
  'AppClient',
);

const clientSecretField = z.string().openapi({
  example: 'f0Jc9M2r6y1Q8vB4pL7sK3dW5nH0tX2eZ9aG6uR1iYo',
  description: 'The secret to authenticate with. Shown only in this response: it is not stored and cannot be shown again.',
});

type Input = z.infer<typeof AppClientInput>;
type Row = typeof appClients.$inferSelect;
/** a row as just created: the secret travels to the one response that shows it */
type CreatedRow = Row & { clientSecret?: string };

/** Clients whose owners all lie within the tenant's: a `["*"]` client only for a tenant of all owners. */
function visibleClients(tenant: Tenant): SQL | undefined {
  if (tenant.owners === '*') return undefined;
  if (tenant.owners.length === 0) return sql`0`;
  return sql`not exists (select 1 from json_each(${appClients.owners}) c where not ${inList(sql`c.value`, tenant.owners)})`;
}

/** 403 unless the caller holds every owner and every scope it gives the client (on update: the fields it changes). */
function assertMayGrant(ctx: Ctx, input: Input, changed?: ReadonlySet<string>): void {
  if ((!changed || changed.has('owners')) && !coversOwners(ctx.tenant, input.owners)) {
    throw new ApiError('forbidden', 'owners: a client may only act for owners this token acts for', [
      { path: '/owners', message: 'names an owner this token does not act for', value: input.owners },
    ]);
  }
  const beyond = !changed || changed.has('scope') ? input.scope.split(' ').filter((s) => !grantsScope(ctx.scopes, s)) : [];
  if (beyond.length) {
    throw new ApiError('forbidden', `scope: this token does not hold ${beyond.join(', ')}`, [
      { path: '/scope', message: 'names a scope this token does not hold', value: beyond.join(' ') },
    ]);
  }
}

/** 404 naming the entry of `owners` that is not a contract owner. */
async function assertOwnersExist(ctx: Ctx, owners: ReadonlyArray<number | '*'>): Promise<void> {
  const ids = owners.filter((o): o is number => o !== '*');
  await ctx.deps.owners.load(ids, ctx.now);
  for (const [index, id] of owners.entries()) {
    if (id === '*' || (await ctx.deps.owners.get(id))) continue;
    throw new ApiError('not-found', `owners: contract owner ${id} was not found`, [
      { path: `/owners/${index}`, message: `contract owner ${id} was not found` },
    ]);
  }
}

const singular = 'app client';
/** app clients write no outbox events, so updateRow never asks for an owner or an event body */
const updateOptions = { table: appClients, singular, ownerOf: () => 0, toOutput: () => null };

export const appClientService: ResourceService<CreatedRow, Record<string, unknown>, Input> = {
  singular,

  list: (ctx, params) => listPage(ctx, appClients, and(visibleClients(ctx.tenant), ...params.where), params),

  async exists(ctx, params) {
    const rows = await ctx.db
      .select({ id: appClients.id })
      .from(appClients)
      .where(and(visibleClients(ctx.tenant), ...params.where))
      .limit(1);
    return rows.length > 0;
  },

  async find(ctx, id) {
    const [row] = await ctx.db.select().from(appClients).where(eq(appClients.id, id)).limit(1);
    return row && coversOwners(ctx.tenant, row.owners) ? row : null;
  },

  async render(_ctx, rows) {
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      owners: row.owners,
      scope: row.scope,
      clientId: row.clientId,
      createdDate: row.createdDate,
      updatedDate: row.updatedDate,
      createdBy: row.createdBy,
      updatedBy: row.updatedBy,
      version: row.version,
    }));
  },

  async create(ctx, input) {
    assertMayGrant(ctx, input);
    await assertOwnersExist(ctx, input.owners);
    const { secret, salt, hash } = await newSecret();
    const [row] = await ctx.db
      .insert(appClients)
      .values({
        name: input.name,
        owners: input.owners,
        scope: input.scope,
        clientId: randomToken(CLIENT_ID_BYTES),
        secretHash: hash,
        secretSalt: salt,
        ...auditOnInsert(ctx),
      })
      .returning();
    return { ...row!, clientSecret: secret };
  },

  async update(ctx, row, input, changed) {
    assertMayGrant(ctx, input, changed);
    if (changed.has('owners')) await assertOwnersExist(ctx, input.owners);
    const changes: Record<string, unknown> = {};
    for (const field of changed) changes[field] = input[field as keyof Input];
    return { row: await updateRow<Row>(ctx, updateOptions, row, changes) };
  },

  async remove(ctx, row) {
    const deleted = await ctx.db
      .delete(appClients)
      .where(and(eq(appClients.id, row.id), eq(appClients.version, row.version)))
      .returning({ id: appClients.id });
    if (deleted.length === 0) throw concurrentChange(singular);
  },
};

const AuthenticateRequest = z
  .object({
    clientId: z.string().min(1).max(200).openapi({ example: 'q1C5m0bN3yJ8kq2Vd7XhZw' }),
    clientSecret: z.string().min(1).max(200).openapi({ example: 'f0Jc9M2r6y1Q8vB4pL7sK3dW5nH0tX2eZ9aG6uR1iYo' }),
  })
  .strict()
  .openapi('AuthenticateRequest');

const AuthenticateResponse = z
  .object({
    token: z.string().openapi({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzY29wZSI6ImNvbnRyYWN0czoqIn0.c2lnbmF0dXJl' }),
    expiresIn: z.number().int().openapi({ example: TOKEN_TTL_SECONDS, description: 'Seconds until the token expires' }),
  })
  .openapi('AuthenticateResponse');

/**
 * Compared against when the client id is unknown, so that path does the same
 * hashing and comparison. Made on first use: Workers allow no random values at
 * global scope.
 */
let decoy: Promise<{ salt: string; hash: string }> | undefined;
function decoyCredentials() {
  decoy ??= (async () => {
    const salt = randomToken(SALT_BYTES);
    return { salt, hash: await hashSecret(salt, randomToken(CLIENT_SECRET_BYTES)) };
  })();
  return decoy;
}

// a public route checks no scope or owner, so it never answers 403
const { 403: _never, ...authenticateErrors } = errorResponses(413, 415);

const noSigningKey = () =>
  new ApiError('misconfigured', 'Tenor holds no signing key for client tokens: set JWT_SECRET or JWT_PRIVATE_KEY');
const wrongCredentials = () => new ApiError('unauthorized', 'The client id or secret is wrong');

async function authenticateClient(c: AppContext) {
  const deps = c.var.deps;
  if (!deps.config.JWT_SECRET && !deps.config.JWT_PRIVATE_KEY) throw noSigningKey();
  const { clientId, clientSecret } = (c.req as unknown as { valid(t: 'json'): z.infer<typeof AuthenticateRequest> }).valid('json');
  const [client] = await deps.database.db.select().from(appClients).where(eq(appClients.clientId, clientId)).limit(1);
  const stored = client ? { salt: client.secretSalt, hash: client.secretHash } : await decoyCredentials();
  const matches = await secretMatches(clientSecret, stored.salt, stored.hash);
  if (!client || !matches) throw wrongCredentials();
  const token = await signToken(
    deps.config,
    { sub: `app-client:${client.id}`, scope: client.scope, owners: client.owners, ttlSeconds: TOKEN_TTL_SECONDS },
    deps.clock(),
  );
  if (!token) throw noSigningKey();
  return c.json({ token, expiresIn: TOKEN_TTL_SECONDS }, 200, { 'cache-control': 'no-store' });
}

export function registerAppClients(app: OpenAPIHono<AppEnv>) {
  // responses may hold a secret: never cached, never kept for Idempotency-Key replay
  for (const path of ['/v1/app-clients', '/v1/app-clients/*', '/v1/authenticate']) {
    app.use(path, async (c, next) => {
      await next();
      c.res.headers.set('cache-control', 'no-store');
    });
  }

  registerResource(app, {
    path: '/v1/app-clients',
    tag: 'App clients',
    singular,
    plural: 'app clients',
    area: 'admin',
    input: AppClientInput,
    output: AppClient,
    filters: {
      id: { type: 'id', column: appClients.id },
      name: { type: 'string', column: appClients.name },
    },
    sorts: { id: appClients.id, name: appClients.name },
    service: appClientService,
    revealOnCreate: { fields: { clientSecret: clientSecretField }, values: (row) => ({ clientSecret: row.clientSecret }) },
    createExample: { name: 'Billing integration', owners: [1], scope: 'contracts:* customers:read' },
    notes: {
      list: "Only clients whose owners all lie within the token's owners are visible (a client for all owners only to a token for all owners).",
      create:
        'The response is the only one that shows `clientSecret`; Tenor keeps only a salted hash. Owners and scopes beyond the token\'s are a 403. An Idempotency-Key is not replayed here, since that would mean storing the secret.',
      update: "Owners and scopes beyond the token's are a 403. The secret cannot be changed; create a new client to rotate it.",
    },
  });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/authenticate',
      tags: ['App clients'],
      operationId: 'authenticate',
      summary: 'Exchange client credentials for a token',
      description: `Public (no bearer token). Returns a token for the client's owners and scope that expires after ${TOKEN_TTL_SECONDS / 60} minutes. A wrong client id or secret is a 401, the same either way. Needs Tenor to hold a signing key (JWT_SECRET or JWT_PRIVATE_KEY; 500 otherwise).`,
      security: [],
      request: {
        query: NoQuery,
        body: {
          required: true,
          content: {
            'application/json': {
              schema: AuthenticateRequest.openapi({
                example: { clientId: 'q1C5m0bN3yJ8kq2Vd7XhZw', clientSecret: 'f0Jc9M2r6y1Q8vB4pL7sK3dW5nH0tX2eZ9aG6uR1iYo' },
              }),
            },
          },
        },
      },
      responses: {
        200: { description: 'A signed bearer token', content: { 'application/json': { schema: AuthenticateResponse } } },
        ...authenticateErrors,
      },
    }),
    authenticateClient as never,
  );
  methodNotAllowed(app, '/v1/authenticate', ['POST']);
}
