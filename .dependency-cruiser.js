/**
 * Layer rules, checked in `npm test`. Data flows one way: HTTP/CLI → command handler → decide →
 * store port → projection runtime → read models and evidence → queries. A layer may import only
 * the layers listed before it; nothing imports back up, and no import cycle is allowed at all.
 */
// External modules are matched by their resolved path under node_modules.
const DRIVERS = 'node_modules/(better-sqlite3|@eventstore/db-client)/';
const FRAMEWORKS = 'node_modules/(@nestjs/[^/]+|express|class-validator|class-transformer)/';

/** Lowest first. Siblings share a rank and may not import each other either. */
const LAYERS = [
  { name: 'shared', path: '^src/shared/' },
  { name: 'config', path: '^src/config/' },
  { name: 'platform', path: '^src/platform/' },
  { name: 'sealing', path: '^src/sealing/' },
  { name: 'ledger', path: '^src/ledger/' },
  { name: 'places', path: '^src/places/' },
  { name: 'auth', path: '^src/auth/' },
  { name: 'attachments', path: '^src/attachments/' },
  { name: 'custody', path: '^src/custody/' },
  { name: 'projections', path: '^src/projections/' },
  { name: 'read-models', path: '^src/read-models/', rank: 'queries' },
  { name: 'evidence', path: '^src/evidence/', rank: 'queries' },
  { name: 'health', path: '^src/health/', rank: 'edge' },
  { name: 'console', path: '^src/console/', rank: 'edge' },
  { name: 'cli', path: '^src/cli/', rank: 'edge' },
  { name: 'retention', path: '^src/retention/', rank: 'edge' },
];

/** `to` for everything above (or beside) a layer: the layers it must not import. */
function higherThan(index) {
  const layer = LAYERS[index];
  return LAYERS.filter((other, j) => j > index || (j !== index && layer.rank !== undefined && other.rank === layer.rank)).map(
    (other) => other.path,
  );
}

const layerRules = LAYERS.map((layer, index) => ({
  name: `layer-${layer.name}`,
  severity: 'error',
  comment: `${layer.name} may import only the layers below it.`,
  from: { path: layer.path },
  // The composition root is above every layer; the command line assembles the projections it rebuilds.
  to: { path: [...higherThan(index), layer.name === 'cli' ? '^src/(app\\.module|main)\\.ts$' : '^src/[^/]+\\.ts$'] },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Cycles hide the direction of dependencies.',
      from: { path: '^src' },
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'shared-kernel-is-a-leaf',
      severity: 'error',
      comment: 'src/shared holds plain types and helpers every layer may use, so it may use none of them, nor a framework or driver.',
      from: { path: '^src/shared/' },
      to: { path: ['^src/(?!shared/)', DRIVERS, FRAMEWORKS] },
    },
    {
      name: 'store-port-is-pure',
      severity: 'error',
      comment: 'The EventStore port, its errors, expected-revision rules and the hash chain depend on no adapter, driver or framework.',
      from: { path: '^src/ledger/[^/]+\\.ts$', pathNot: '^src/ledger/(ledger\\.module|create-event-store)\\.ts$' },
      to: { path: [DRIVERS, FRAMEWORKS, '^src/ledger/(sqlite|eventstoredb)/'] },
    },
    {
      name: 'adapters-only-behind-the-port',
      severity: 'error',
      comment: 'Only the ledger module (its createEventStore) chooses an adapter; everything else uses the EventStore port.',
      from: { path: '^src', pathNot: ['^src/ledger/(ledger\\.module|create-event-store)\\.ts$', '^src/ledger/(sqlite|eventstoredb)/'] },
      to: { path: '^src/ledger/(sqlite|eventstoredb)/' },
    },
    {
      name: 'sealing-is-pure-above-its-adapter',
      severity: 'error',
      comment: 'Commitments, envelopes, key wrapping and the key-store port depend on no driver, framework or adapter.',
      from: { path: '^src/sealing/[^/]+\\.ts$', pathNot: '^src/sealing/sealing\\.module\\.ts$' },
      to: { path: [DRIVERS, FRAMEWORKS, '^src/sealing/sqlite/'] },
    },
    {
      name: 'key-store-adapter-only-behind-its-port',
      severity: 'error',
      comment: 'Only the sealing module chooses the key-store adapter; everything else uses the PersonalDataKeyStore port.',
      from: { path: '^src', pathNot: ['^src/sealing/sealing\\.module\\.ts$', '^src/sealing/sqlite/'] },
      to: { path: '^src/sealing/sqlite/' },
    },
    {
      name: 'idempotency-adapter-only-behind-its-port',
      severity: 'error',
      comment: 'Only the idempotency module chooses the adapter; the interceptor uses the IdempotencyStore port.',
      from: {
        path: '^src',
        pathNot: ['^src/platform/http/idempotency/idempotency\\.module\\.ts$', '^src/platform/http/idempotency/sqlite/'],
      },
      to: { path: '^src/platform/http/idempotency/sqlite/' },
    },
    {
      name: 'sqlite-driver-only-where-tables-live',
      severity: 'error',
      comment:
        'better-sqlite3 is used only inside a sqlite/ adapter folder, by the projection runtime and by the read models, whose tables are SQLite.',
      from: { path: '^src', pathNot: ['^src/.*/sqlite/', '^src/projections/', '^src/read-models/'] },
      to: { path: 'node_modules/better-sqlite3/' },
    },
    {
      name: 'eventstoredb-client-only-in-its-adapter',
      severity: 'error',
      from: { path: '^src', pathNot: ['^src/ledger/eventstoredb/'] },
      to: { path: 'node_modules/@eventstore/db-client/' },
    },
    {
      name: 'domain-is-free-of-frameworks-and-stores',
      severity: 'error',
      comment:
        'The aggregate (events, state, evolve, commands, decide, rules) imports neither NestJS nor a store; HTTP lives in custody/http.',
      from: {
        path: '^src/custody/',
        // The application services beside the aggregate read and append through the store port.
        pathNot: [
          '^src/custody/http/',
          '^src/custody/[^/]+\\.module\\.ts$',
          '^src/custody/handle-command\\.ts$',
          '^src/custody/carry-out-erasure\\.ts$',
        ],
      },
      to: { path: [DRIVERS, FRAMEWORKS, '^src/ledger/', '^src/platform/', '^src/auth/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.spec\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
