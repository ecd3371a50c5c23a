/** zod's API (`zod/v4`) with `locales` shadowed, `core` replaced by core.ts, and no `z` of its own (index.ts is z). */
export * from 'zod/v4';
export * as core from './core';
export const locales = {};
export const z = undefined;
