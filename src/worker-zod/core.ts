/** `zod/v4/core` with its `locales` namespace and `compile` shadowed (see index.ts and api.ts). */
export * from 'zod/v4/core';
export const locales = {};
// z.compile (zod's opt-in JIT of a schema into a parse function) is never called by Tenor; without these the
// bundle drops it (a ninth of zod in the Worker bundle)
export const compile = undefined;
export const compileFn = undefined;
export const withParser = undefined;
export const INVALID = undefined;
export const ZodCompileAsyncError = undefined;
export const ZodCompileUnsupportedError = undefined;
