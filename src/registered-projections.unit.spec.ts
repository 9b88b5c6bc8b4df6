import 'reflect-metadata';
import { merkleLogProjection } from './evidence/merkle/merkle-log.projection';
import { READS_READ_MODELS } from './read-models/http/read-position';
import { ReadModelsModule } from './read-models/read-models.module';
import { SIGNED_TREE_HEAD_READ_MODEL } from './read-models/seizure-statement/signed-tree-head-source';
import { REGISTERED_PROJECTIONS } from './registered-projections';

// Read models name the evidence side's Merkle log by a string, never an import: these keep the names honest.
describe('the registered projections', () => {
  const names = REGISTERED_PROJECTIONS.map((p) => p.name);

  it('have unique names, the Merkle log among them', () => {
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain(merkleLogProjection.name);
  });

  it('include the read model the statements’ signed heads come from', () => {
    expect(SIGNED_TREE_HEAD_READ_MODEL).toBe(merkleLogProjection.name);
  });

  it('include every read model a query controller waits for', () => {
    const stub = { module: class Stub {} };
    const { controllers = [] } = ReadModelsModule.forRoot({ config: stub, ledger: stub, projections: stub, signedTreeHeads: stub });
    const read = controllers.flatMap((c) => (Reflect.getMetadata(READS_READ_MODELS, c) as string[] | undefined) ?? []);
    expect(read.length).toBeGreaterThan(0);
    for (const name of read) expect(names).toContain(name);
  });
});
