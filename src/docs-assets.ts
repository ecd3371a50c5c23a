/**
 * Node: the files of /docs/assets/ (src/http/docs.ts) read from the installed
 * packages, once, on first request. scripts/docs-assets.ts copies the same files
 * into the Worker's static assets.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Scalar } from '@scalar/hono-api-reference';
import { type Context, Hono } from 'hono';
import { DOCS_ASSETS, DOCS_PAGE_CONFIG } from './http/docs';

const require = createRequire(import.meta.url);

/** The folder of an installed package: from its main entry up to its package.json. */
function packageRoot(name: string): string {
  let folder = dirname(require.resolve(name));
  while (!existsSync(join(folder, 'package.json'))) folder = dirname(folder);
  return folder;
}

/** Where a /docs asset is on disk, and the version of the package it comes from. */
export function docsAssetSource(name: string): { path: string; version: string } {
  const asset = DOCS_ASSETS[name]!;
  const root = packageRoot(asset.package);
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return { path: join(root, asset.file), version };
}

const loaded = new Map<string, { body: Uint8Array; etag: string }>();

/** The Node server's AppOptions.docsAsset: the file with its media type, revalidated by ETag (the package version). */
export async function nodeDocsAsset(c: Context, name: string): Promise<Response> {
  let asset = loaded.get(name);
  if (!asset) {
    const source = docsAssetSource(name);
    asset = { body: new Uint8Array(readFileSync(source.path)), etag: `"${DOCS_ASSETS[name]!.package}@${source.version}"` };
    loaded.set(name, asset);
  }
  const headers = { etag: asset.etag, 'cache-control': 'public, max-age=0, must-revalidate', 'content-type': DOCS_ASSETS[name]!.type };
  if (c.req.header('if-none-match') === asset.etag) return new Response(null, { status: 304, headers });
  return new Response(asset.body, { status: 200, headers });
}

let page: Promise<string> | undefined;

/** The /docs page's HTML, rendered once by Scalar's page handler. */
export function docsPageHtml(): Promise<string> {
  page ??= Promise.resolve(new Hono().get('/docs', Scalar(DOCS_PAGE_CONFIG as never)).request('/docs')).then((res) => res.text());
  return page;
}

/** The Node server's AppOptions.docsPage. */
export async function nodeDocsPage(c: Context): Promise<Response> {
  return c.html(await docsPageHtml());
}
