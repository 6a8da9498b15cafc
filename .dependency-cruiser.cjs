// The layout's one direction of dependencies (README, "Code layout"):
//   domain ← contracts ← shared ← {shopify, variant-mappings, links, live-settings, map-stage} ← ops ← {services, cli} ← {demo, bench, chaos}
// simulator/ and stack/ stand apart; tests may use anything below them and test/support/.
// `npm run lint:deps` checks it, and test/layout.test.ts keeps it in `npm test`.
const TEST = '(\\.i?test\\.ts$|^test/)';

/** `from` may import only what matches `allowed` (plus npm packages and Node built-ins). */
const layer = (name, from, allowed) => ({
  name,
  severity: 'error',
  comment: `${from} may import only ${allowed}`,
  from: { path: from, pathNot: TEST },
  to: { pathNot: [allowed, '^node_modules', '^node:'], dependencyTypesNot: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown'] },
});

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'no import circle anywhere', from: {}, to: { circular: true } },
    layer('domain', '^src/domain/', '^src/domain/'),
    layer('contracts', '^src/contracts/', '^src/(domain|contracts)/'),
    layer('shared', '^src/shared/', '^src/(domain|contracts|shared)/'),
    layer('shopify', '^src/shopify/', '^src/(domain|contracts|shared|shopify)/'),
    layer('variant-mappings', '^src/variant-mappings/', '^src/(domain|contracts|shared|variant-mappings)/'),
    layer('links', '^src/links/', '^src/(domain|contracts|shared|links)/'),
    // Live connection settings: their topics, following them, saving and auditing changes.
    layer('live-settings', '^src/live-settings/', '^src/(domain|contracts|shared|live-settings)/'),
    // The map stage looks variants up in the mapping store.
    layer('map-stage', '^src/map-stage/', '^src/(domain|contracts|shared|variant-mappings|map-stage)/'),
    layer('ops', '^src/ops/', '^src/'),
    // A service uses src/ and its own files, never another service's; run-all.ts composes them.
    {
      name: 'service-to-other-service',
      severity: 'error',
      comment: 'a service imports src/ and its own files only',
      from: { path: '^services/([^/]+)/', pathNot: TEST },
      to: { path: '^services/', pathNot: '^services/$1/' },
    },
    layer('services', '^services/', '^(src|services)/|^stack/stack\\.ts$'),
    layer('cli', '^cli/', '^(src|cli)/|^stack/stack\\.ts$'),
    // The chaos suite drives the services as processes (test/support's child-service) against the
    // simulator and the stack's servers; it reuses bench's draft bodies. Nothing imports it but its test.
    layer('chaos', '^chaos/', '^(src|chaos|simulator|stack)/|^bench/support/|^test/support/'),
    {
      name: 'nothing-imports-chaos',
      severity: 'error',
      comment: 'chaos/ is a front end: only it and tests use it',
      from: { pathNot: ['^chaos/', TEST] },
      to: { path: '^chaos/' },
    },
    layer('simulator', '^simulator/', '^simulator/'),
    layer('stack', '^stack/', '^stack/'),
    {
      name: 'nothing-imports-cli',
      severity: 'error',
      comment: 'cli/ is a front end: only it, bench (its progress bar) and tests of it use it',
      from: { pathNot: ['^(cli|bench)/', TEST] },
      to: { path: '^cli/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|\\.cache)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
