import { applyD1Migrations, type D1Migration } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

// Setup files run outside per-file storage isolation and may run more than once;
// applyD1Migrations only applies what is missing. Every database gets them: DB and the owner shard.
const bindings = env as unknown as { DB: D1Database; DB_SHARD_1: D1Database; TEST_MIGRATIONS: D1Migration[] };
await applyD1Migrations(bindings.DB, bindings.TEST_MIGRATIONS);
await applyD1Migrations(bindings.DB_SHARD_1, bindings.TEST_MIGRATIONS);
