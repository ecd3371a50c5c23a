/** zod's API (`zod/v4`) with `locales`, `fromJSONSchema`, `toJSONSchema` and `compile` shadowed, `core` replaced by core.ts, and no `z` of its own (index.ts is z). */
export * from 'zod/v4';
export * as core from './core';
export const locales = {};
export const z = undefined;
// nothing in the Worker converts between zod schemas and JSON Schema at run time (the API document is built by
// zod-to-openapi from the schemas themselves): without these two the bundle drops their converters
export const fromJSONSchema = undefined;
export const toJSONSchema = undefined;
// z.compile (zod's opt-in JIT of a schema into a parse function) is never called by Tenor; without these the
// bundle drops it (a ninth of zod in the Worker bundle)
export const compile = undefined;
export const compileFn = undefined;
export const withParser = undefined;
export const INVALID = undefined;
export const ZodCompileAsyncError = undefined;
export const ZodCompileUnsupportedError = undefined;
