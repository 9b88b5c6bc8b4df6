/**
 * Layer rules, checked in `npm test`. Data flows one way: HTTP → command handler → decide → store
 * port → adapters; the domain and the store port know nothing of frameworks or drivers.
 */
// External modules are matched by their resolved path under node_modules.
const DRIVERS = 'node_modules/(better-sqlite3|@eventstore/db-client)/';
const FRAMEWORKS = 'node_modules/(@nestjs/[^/]+|express|class-validator|class-transformer)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Cycles hide the direction of dependencies.',
      from: { path: '^src' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'store-port-is-pure',
      severity: 'error',
      comment: 'The EventStore port, its errors and the hash chain must not depend on an adapter, a driver or a framework.',
      from: { path: '^src/ledger/(event-store|errors|hash-chain)\\.ts$' },
      to: { path: [DRIVERS, FRAMEWORKS, '^src/ledger/(sqlite|eventstoredb)/'] },
    },
    {
      name: 'adapters-only-behind-the-port',
      severity: 'error',
      comment: 'Only the ledger module chooses an adapter; everything else uses the EventStore port.',
      from: { path: '^src', pathNot: ['^src/ledger/ledger\\.module\\.ts$', '^src/ledger/(sqlite|eventstoredb)/'] },
      to: { path: '^src/ledger/(sqlite|eventstoredb)/' },
    },
    {
      name: 'idempotency-adapter-only-behind-its-port',
      severity: 'error',
      comment: 'Only the idempotency module chooses the adapter; the interceptor uses the IdempotencyStore port.',
      from: {
        path: '^src',
        pathNot: ['^src/shared/http/idempotency/idempotency\\.module\\.ts$', '^src/shared/http/idempotency/sqlite/'],
      },
      to: { path: '^src/shared/http/idempotency/sqlite/' },
    },
    {
      name: 'sqlite-driver-only-in-sqlite-adapters',
      severity: 'error',
      comment: 'better-sqlite3 is used only inside a sqlite/ adapter folder (the ledger, idempotency records), by the projection runtime and by the read models, whose tables are SQLite.',
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
      comment: 'Aggregates (decide/evolve) import neither NestJS nor a store; HTTP lives in their http/ folder.',
      from: { path: '^src/custody/', pathNot: ['^src/custody/http/', '^src/custody/[^/]+\\.module\\.ts$'] },
      to: { path: [DRIVERS, FRAMEWORKS, '^src/ledger/(sqlite|eventstoredb)/'] },
    },
    {
      name: 'shared-kernel-is-a-leaf',
      severity: 'error',
      comment: 'src/shared holds plain types and helpers every layer may use, so it may use none of them.',
      from: { path: '^src/shared/', pathNot: ['^src/shared/http/'] },
      to: { path: '^src/(?!shared/)' },
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
