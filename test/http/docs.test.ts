/**
 * /docs works offline: the page loads only files Tenor serves itself (Scalar's
 * bundle from the pinned package), asks nothing of a CDN, web fonts or Scalar's
 * services, and those files are served with their media type, without a token.
 * (scripts/docs-browser.ts renders the page in Chromium with the network cut off.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

describe('/docs', () => {
  it('references only its own files, with fonts, telemetry and Scalar’s services off', async () => {
    const page = await h.request('GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).not.toMatch(/https?:\/\//);
    const sources = [...page.text.matchAll(/<(?:script|link|img)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources).toEqual(['/docs/assets/scalar-api-reference.js']);
    expect(page.text).toContain('"url": "/openapi.json"');
    for (const setting of ['"withDefaultFonts": false', '"telemetry": false', '"showDeveloperTools": "never"']) expect(page.text).toContain(setting);
  });

  it('serves the files it references, with their media type and no token', async () => {
    const asset = await h.request('GET', '/docs/assets/scalar-api-reference.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    expect(asset.text.length).toBeGreaterThan(1_000_000);
    expect(asset.text).toContain('createApiReference');
    const head = await h.request('HEAD', '/docs/assets/scalar-api-reference.js');
    expect([head.status, head.text]).toEqual([200, '']);
  });

  it('answers 404 problem+json for any other file', async () => {
    for (const path of ['/docs/assets/nothing.js', '/docs/assets/..%2Fpackage.json', '/docs/assets/toString']) {
      const res = await h.request('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toMatch(/problem\+json/);
    }
  });
});
