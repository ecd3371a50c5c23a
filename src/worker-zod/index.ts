/**
 * `zod` as the Worker bundle sees it (wrangler.toml `[alias]`): zod's API
 * without its `locales` namespaces. @hono/zod-openapi hands the whole `z`
 * namespace to zod-to-openapi, so the bundler keeps every export of it, and the
 * translations of zod's messages into some fifty languages were a quarter of
 * the bundle. Tenor answers in English (zod's default locale, which zod
 * installs itself), so the Worker leaves them out; the Node server uses zod as
 * it is. A module's own exports shadow those of its `export *`: api.ts and
 * core.ts shadow each `locales` (and the namespaces that would bring them back).
 */
import * as z from './api';

export * from './api';
export { z, z as default };
