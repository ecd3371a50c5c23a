// The package's ESM entry (Node cannot take named imports from its CommonJS main); same API as its typings.
declare module 'fast-json-patch/index.mjs' {
  export * from 'fast-json-patch';
}
