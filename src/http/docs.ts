/**
 * GET /docs: Scalar's API reference over /openapi.json, with its browser bundle
 * served by Tenor itself (GET /docs/assets/…) from the pinned @scalar/api-reference
 * package, so the page works without internet access: no CDN, no web fonts, no
 * telemetry, no Scalar services. The entries serve the files: Node from
 * node_modules (src/docs-assets.ts), the Worker from its static assets
 * (copied there by scripts/docs-assets.ts before a build), the page itself too:
 * Scalar's page renderer stays out of the Worker's bundle.
 */
export const DOCS_ASSETS_PATH = '/docs/assets/';

/** The files /docs loads: name under /docs/assets/ → the file of the package, and its media type. */
export const DOCS_ASSETS: Readonly<Record<string, { package: string; file: string; type: string }>> = {
  'scalar-api-reference.js': { package: '@scalar/api-reference', file: 'dist/browser/standalone.js', type: 'text/javascript; charset=utf-8' },
};

/** The /docs page file under /docs/assets/: rendered from DOCS_PAGE_CONFIG by the entries (Node on first request, the Worker's build into its static assets). */
export const DOCS_PAGE = 'docs.html';

/** Scalar's configuration of the /docs page (@scalar/hono-api-reference). */
export const DOCS_PAGE_CONFIG = {
    url: '/openapi.json',
    pageTitle: 'Tenor API',
    cdn: `${DOCS_ASSETS_PATH}scalar-api-reference.js`,
    // everything the reference would fetch from elsewhere, off
    withDefaultFonts: false,
    telemetry: false,
    showDeveloperTools: 'never',
    agent: { disabled: true },
    mcp: { disabled: true },
};
