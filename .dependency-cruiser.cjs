/**
 * The direction of dependencies (ARCHITECTURE.md), checked by `npm run lint:deps`
 * as part of `npm test`. Imports run one way:
 *
 *   entries (app, worker, server, runtime) → routes → http, jobs → services → db → domain
 *
 * with the kernel (errors, list-query, config) importable from every layer. Type-only
 * imports count: a layer that needs another's types depends on it. No exceptions are
 * listed; a cycle or an upward import is a design problem to fix.
 */
const KERNEL = '^src/(errors|list-query|config)\\.ts$';
const layer = (folder) => `^src/${folder}/`;

/** A layer may import itself, the kernel and the layers listed. */
function onlyFrom(name, folder, allowed) {
  return {
    name: `${name}-imports-only-${allowed.join('-') || 'itself'}`,
    comment: `${folder} may import ${allowed.length ? allowed.join(', ') + ', ' : ''}itself and the kernel`,
    severity: 'error',
    from: { path: layer(folder) },
    to: {
      path: '^src/',
      pathNot: [layer(folder), KERNEL, ...allowed.map(layer)],
    },
  };
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No module may depend on itself through others',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'kernel-imports-nothing',
      comment: 'errors, list-query and config are imported by every layer and import none',
      severity: 'error',
      from: { path: KERNEL },
      to: { path: '^src/', pathNot: KERNEL },
    },
    {
      name: 'domain-imports-nothing',
      comment: 'domain rules are plain functions: no database, no HTTP, not even the kernel',
      severity: 'error',
      from: { path: layer('domain') },
      to: { path: '^src/', pathNot: layer('domain') },
    },
    onlyFrom('db', 'db', ['domain']),
    onlyFrom('services', 'services', ['db', 'domain']),
    onlyFrom('jobs', 'jobs', ['services', 'db', 'domain']),
    onlyFrom('http', 'http', ['db', 'domain']),
    onlyFrom('routes', 'routes', ['http', 'jobs', 'services', 'domain']),
    {
      name: 'dialects-are-separate',
      comment: 'one dialect never imports another: what two share lives in services or http',
      severity: 'error',
      from: { path: '^src/routes/([^/]+)/' },
      to: { path: '^src/routes/', pathNot: ['^src/routes/$1/', '^src/routes/index\\.ts$'] },
    },
    {
      name: 'app-code-imports-no-tests-or-tools',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
    moduleSystems: ['es6'],
  },
};
