import path from 'node:path';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { copyDocsAssets } from './scripts/docs-assets.ts';
import { TEST_JWT_SECRET } from './test/helpers/secrets.ts';

const root = import.meta.dirname;

// the Worker's static assets (wrangler.toml [assets]) must be there before workerd starts
await copyDocsAssets();

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias: { '#runtime': path.join(root, 'test/helpers/runtime.node.ts') } },
        test: {
          name: 'node',
          include: ['test/unit/**/*.test.ts', 'test/http/**/*.test.ts', 'test/node/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        resolve: {
          alias: [
            { find: '#runtime', replacement: path.join(root, 'test/helpers/runtime.worker.ts') },
            // the Worker bundle's zod, as wrangler.toml's [alias] gives it to the deployed Worker
            { find: /^zod$/, replacement: path.join(root, 'src/worker-zod/index.ts') },
          ],
        },
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations(path.join(root, 'migrations')),
                JWT_SECRET: TEST_JWT_SECRET,
                TENOR_ENV: 'test',
                LOG_REQUESTS: 'false',
                // owners 900001-900009 live on the shard (test/worker/edge.test.ts inserts them there); every other owner on DB
                SHARDS: JSON.stringify({ DB_SHARD_1: [900001, 900002, 900003, 900004, 900005, 900006, 900007, 900008, 900009] }),
                // every test is one caller at one address: the rate limit tests turn them on (test/http/rate-limits.test.ts)
                RATE_LIMITS: 'false',
              },
            },
          })),
        ],
        test: {
          name: 'worker',
          include: ['test/http/**/*.test.ts', 'test/worker/**/*.test.ts'],
          setupFiles: ['./test/worker/apply-migrations.ts'],
          testTimeout: 30_000,
        },
      },
    ],
  },
});
