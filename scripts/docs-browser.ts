/**
 * /docs in a real browser with the network cut off: serves the app (Node, an
 * in-memory database) on a local port, opens /docs in headless Chromium that may
 * reach nothing but that port, and checks that the API reference renders
 * (title, tags, operations) and that the page asked for nothing elsewhere.
 *
 *   npm run test:docs-browser [-- --screenshot docs.png]
 *
 * Needs Chromium (Debian: apt-get install -y chromium; CHROMIUM_PATH to use
 * another). Not part of npm test, which checks the same page without a browser
 * (test/http/docs.test.ts).
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { chromium } from 'playwright-core';
import { createApp } from '../src/app';
import { parseConfig } from '../src/config';
import { migrateDatabase, openLocalDatabase } from '../src/db/node';
import { nodeDocsAsset, nodeDocsPage } from '../src/docs-assets';
import { createDeps } from '../src/runtime';

const { values } = parseArgs({ options: { screenshot: { type: 'string' } } });
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(`No Chromium at ${executablePath}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  process.exit(2);
}

const database = openLocalDatabase(':memory:');
await migrateDatabase(database);
const config = parseConfig({ JWT_SECRET: 'docs-browser-check-secret-0123456789abcdef', TENOR_ENV: 'test', LOG_REQUESTS: 'false', JOBS_ENABLED: 'false' });
const app = createApp({ deps: () => deps, docsAsset: nodeDocsAsset, docsPage: nodeDocsPage });
const deps = createDeps({ config, database, log: () => {} });
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
await new Promise((resolve) => server.once('listening', resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const problems: string[] = [];
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
try {
  const context = await browser.newContext();
  // the network is this server and nothing else: every other request is refused, and counted
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    problems.push(`requested ${url}`);
    return route.abort('internetdisconnected');
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    if (request.url().startsWith(origin)) problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`);
  });

  const started = performance.now();
  const response = await page.goto(`${origin}/docs`, { waitUntil: 'load' });
  if (response?.status() !== 200) problems.push(`/docs answered ${response?.status()}`);
  // rendered from /openapi.json: the title, the first tag's section with its description, its operations
  for (const text of ['Tenor API', 'The billing entities that own customers', 'List contract owners', 'Create a contract owner']) {
    await page.getByText(text).first().waitFor({ state: 'visible', timeout: 60_000 });
  }
  // and a later section, opened from the sidebar
  await page.getByText('Customer contracts', { exact: true }).first().click();
  await page.getByText('List customer contracts').first().waitFor({ state: 'visible', timeout: 30_000 });
  console.log(`/docs rendered the API reference in ${Math.round(performance.now() - started)} ms, offline`);
} catch (error) {
  problems.push(String(error));
} finally {
  if (values.screenshot) {
    await (await browser.contexts()[0]?.pages()[0])?.screenshot({ path: values.screenshot });
    console.log(`screenshot: ${values.screenshot}`);
  }
  await browser.close();
  server.close();
  await database.close();
}

if (problems.length) {
  console.error(`/docs offline check failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('/docs offline in Chromium: ok');
