/** zod's API (`zod/v4`) with `locales`, `fromJSONSchema`, `toJSONSchema` and `compile` shadowed, `core` replaced by core.ts, and no `z` of its own (index.ts is z). */
export * from 'zod/v4';
export * as core from './core';
export const locales = {};
export const z = undefined;
// nothing in the Worker converts between zod schemas and JSON Schema at run time (the API document is built by
// zod-to-openapi from the schemas themselves): without these two the bundle drops their converters
export const fromJSONSchema = undefined;
export const toJSONSchema = undefined;
// z.compile, shadowed once in core.ts (see there)
export { compile, compileFn, INVALID, withParser, ZodCompileAsyncError, ZodCompileUnsupportedError } from './core';
