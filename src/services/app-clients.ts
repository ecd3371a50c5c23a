/**
 * App clients (admin): service identities that exchange a client id and secret
 * for a token. The secret is made here when the client is created and returned
 * once; only its salted hash is stored.
 *
 * A client acts for a list of owners rather than one, so tenancy here is "the
 * client's owners are a subset of the caller's" instead of an owner column; a
 * caller can neither see nor hand out more than its own token holds.
 */
import { and, eq, type SQL, sql } from 'drizzle-orm';
import { inList } from '../db/client';
import type { Ctx, Deps } from '../db/context';
import { auditOnInsert, concurrentChange, queryExists, queryPage, type ResourceService, updateRow } from '../db/crud';
import type { QuerySpec } from '../db/query';
import { appClients } from '../db/schema';
import { coversOwners, type Tenant } from '../db/tenancy';
import { CLIENT_ID_BYTES, CLIENT_SECRET_BYTES, hashSecret, newSecret, randomToken, SALT_BYTES, secretMatches } from '../domain/credentials';
import { grantsScope } from '../domain/scopes';
import { TenorError } from '../errors';

export interface AppClientInput {
  name: string;
  /** contract owner ids, or ['*'] for all */
  owners: Array<number | '*'>;
  /** space-separated scopes */
  scope: string;
}

export type AppClientRow = typeof appClients.$inferSelect;
/** a row as just created: the secret travels to the one response that shows it */
export type CreatedAppClientRow = AppClientRow & { clientSecret?: string };

export interface AppClientOutput extends Record<string, unknown> {
  id: number;
  name: string;
  owners: Array<number | '*'>;
  scope: string;
  clientId: string;
  createdDate: string;
  updatedDate: string;
  createdBy: string | null;
  updatedBy: string | null;
  version: number;
}

/** Clients whose owners all lie within the tenant's: a `["*"]` client only for a tenant of all owners. */
function visibleClients(tenant: Tenant): SQL | undefined {
  if (tenant.owners === '*') return undefined;
  if (tenant.owners.length === 0) return sql`0`;
  return sql`not exists (select 1 from json_each(${appClients.owners}) c where not ${inList(sql`c.value`, tenant.owners)})`;
}

/** 403 unless the caller holds every owner and every scope it gives the client (on update: the fields it changes). */
function assertMayGrant(ctx: Ctx, input: AppClientInput, changed?: ReadonlySet<string>): void {
  if ((!changed || changed.has('owners')) && !coversOwners(ctx.tenant, input.owners)) {
    throw new TenorError('forbidden', 'owners: a client may only act for owners this token acts for', [
      { path: '/owners', message: 'names an owner this token does not act for', value: input.owners },
    ]);
  }
  const beyond = !changed || changed.has('scope') ? input.scope.split(' ').filter((s) => !grantsScope(ctx.scopes, s)) : [];
  if (beyond.length) {
    throw new TenorError('forbidden', `scope: this token does not hold ${beyond.join(', ')}`, [
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
    throw new TenorError('not-found', `owners: contract owner ${id} was not found`, [
      { path: `/owners/${index}`, message: `contract owner ${id} was not found` },
    ]);
  }
}

const singular = 'app client';
/** app clients write no outbox events, so updateRow never asks for an owner or an event body */
const updateOptions = { table: appClients, singular, ownerOf: () => 0, toOutput: () => null };

const appClientQuery: QuerySpec = {
  filters: {
    id: { type: 'id', column: appClients.id },
    name: { type: 'string', column: appClients.name },
  },
  sorts: { id: appClients.id, name: appClients.name },
};

export const appClientService: ResourceService<CreatedAppClientRow, AppClientOutput, AppClientInput> = {
  singular,
  query: appClientQuery,

  list: (ctx, query) => queryPage(ctx, appClients, appClientQuery, [visibleClients(ctx.tenant)], query),

  exists: (ctx, query) => queryExists(ctx, appClients, appClientQuery, [visibleClients(ctx.tenant)], query),

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
    for (const field of changed) changes[field] = input[field as keyof AppClientInput];
    return { row: await updateRow<AppClientRow>(ctx, updateOptions, row, changes) };
  },

  async remove(ctx, row) {
    const deleted = await ctx.db
      .delete(appClients)
      .where(and(eq(appClients.id, row.id), eq(appClients.version, row.version)))
      .returning({ id: appClients.id });
    if (deleted.length === 0) throw concurrentChange(singular);
  },
};

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

/**
 * The client these credentials belong to; a wrong client id or secret is the same
 * 401 either way, after the same hashing and comparison.
 */
export async function authenticateClient(deps: Deps, clientId: string, clientSecret: string): Promise<AppClientRow> {
  const [client] = await deps.database.db.select().from(appClients).where(eq(appClients.clientId, clientId)).limit(1);
  const stored = client ? { salt: client.secretSalt, hash: client.secretHash } : await decoyCredentials();
  const matches = await secretMatches(clientSecret, stored.salt, stored.hash);
  if (!client || !matches) throw new TenorError('unauthorized', 'The client id or secret is wrong');
  return client;
}
