/**
 * Copies the files /docs loads (src/http/docs.ts) from the installed packages into
 * public/, the Worker's static assets (wrangler.toml [assets]): Cloudflare serves
 * them without running the Worker, and they do not count against its bundle.
 * wrangler runs this before every build ([build] in wrangler.toml), and so does
 * vitest.config.ts before the Worker tests; public/ is not committed.
 *
 *   npx tsx scripts/docs-assets.ts
 */
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docsAssetSource } from '../src/docs-assets';
import { DOCS_ASSETS, DOCS_ASSETS_PATH } from '../src/http/docs';

export const ASSETS_FOLDER = fileURLToPath(new URL('../public/', import.meta.url));

/** Copies each file that is missing or differs; returns the names copied. */
export function copyDocsAssets(folder = ASSETS_FOLDER): string[] {
  const copied: string[] = [];
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
  const copied = copyDocsAssets();
  console.log(copied.length ? `public${DOCS_ASSETS_PATH}: copied ${copied.join(', ')}` : `public${DOCS_ASSETS_PATH}: up to date`);
}
