/** `zod/v4/core` with its `locales` namespace shadowed. */
export * from 'zod/v4/core';
export const locales = {};
