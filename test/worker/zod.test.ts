/**
 * The Worker bundles zod without its translations (src/worker-zod, wrangler.toml
 * [alias]; this project resolves `zod` the same way). Its schemas must still
 * validate, explain themselves in English and carry OpenAPI metadata.
 */
import { z as openapiZ } from '@hono/zod-openapi';
import * as zod from 'zod';
import { describe, expect, it } from 'vitest';

describe("the Worker's zod", () => {
  it('has no locales namespace to bundle, and no separate z', () => {
    expect(Object.keys(zod.locales)).toEqual([]);
    expect(Object.keys(zod.core.locales)).toEqual([]);
    expect(zod.z).toBe(zod.default);
    expect(openapiZ).toBe(zod.z);
  });

  it('validates with English messages', () => {
    const result = zod.z.object({ name: zod.z.string().max(3) }).safeParse({ name: 'Tenor' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/^Too big: expected string to have <=3 characters$/);
    expect(zod.z.number().safeParse('1').error?.issues[0]?.message).toBe('Invalid input: expected number, received string');
  });

  it('keeps the OpenAPI extension @hono/zod-openapi adds', () => {
    const schema = openapiZ.string().openapi({ example: 'x' });
    expect(zod.z.globalRegistry).toBeDefined();
    expect(typeof schema.openapi).toBe('function');
  });
});
