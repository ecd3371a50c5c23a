/**
 * Copies the files /docs loads (src/http/docs.ts) from the installed packages into
 * public/, the Worker's static assets (wrangler.toml [assets]): Cloudflare serves
 * them without running the Worker, and they do not count against its bundle.
 * wrangler runs this before every build ([build] in wrangler.toml), and so does
 * vitest.config.ts before the Worker tests; public/ is not committed.
 *
 *   npx tsx scripts/docs-assets.ts
 */
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docsAssetSource, docsPageHtml } from '../src/docs-assets';
import { DOCS_ASSETS, DOCS_ASSETS_PATH, DOCS_PAGE } from '../src/http/docs';

export const ASSETS_FOLDER = fileURLToPath(new URL('../public/', import.meta.url));

/** Copies each file that is missing or differs, and renders the /docs page beside them; returns the names written. */
export async function copyDocsAssets(folder = ASSETS_FOLDER): Promise<string[]> {
  const copied: string[] = [];
  const pageTarget = join(folder, DOCS_ASSETS_PATH, DOCS_PAGE);
  const html = await docsPageHtml();
  const samePage = (() => {
    try {
      return readFileSync(pageTarget, 'utf8') === html;
    } catch {
      return false;
    }
  })();
  if (!samePage) {
    mkdirSync(dirname(pageTarget), { recursive: true });
    writeFileSync(pageTarget, html);
    copied.push(DOCS_PAGE);
  }
  for (const name of Object.keys(DOCS_ASSETS)) {
    const { path } = docsAssetSource(name);
    const target = join(folder, DOCS_ASSETS_PATH, name);
    const same = (() => {
      try {
        return statSync(target).size === statSync(path).size && readFileSync(target).equals(readFileSync(path));
      } catch {
        return false;
      }
    })();
    if (same) continue;
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(path, target);
    copied.push(name);
  }
  return copied;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const copied = await copyDocsAssets();
  console.log(copied.length ? `public${DOCS_ASSETS_PATH}: copied ${copied.join(', ')}` : `public${DOCS_ASSETS_PATH}: up to date`);
}
