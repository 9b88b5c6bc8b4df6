import BetterSqlite3, { type Database } from 'better-sqlite3';
import type { ProjectedEvent } from '../../projections/projection';
import { eventLeafHash } from './merkle-tree-store';
import { merkleLogProjection, merkleLogTree } from './merkle-log.projection';
import { DefinitionalTree, randomLeaves, seededRandom } from './merkle.test-support';
import { bytesToHex, verifyConsistency, verifyInclusion } from './rfc9162';

/** The Merkle log reads only the chain hash and the position; the rest of the event does not matter here. */
function projected(globalPosition: number, hash: string): ProjectedEvent {
  const event: Partial<ProjectedEvent> = { globalPosition, hash, type: 'SeizureRecorded', streamName: 'seizure-s-1', seizureId: 's-1' };
  return event as ProjectedEvent;
}

/** As the projector does it: each event in a transaction (that also moves the checkpoint). */
function applyAll(db: Database, events: readonly ProjectedEvent[]): void {
  for (const event of events) db.transaction(() => merkleLogProjection.apply(db, event))();
}

describe('merkleLogProjection', () => {
  // Sparse positions, as EventStoreDB gives them: the leaf index counts events, not positions.
  const hashes = randomLeaves(seededRandom(77), 40).map(bytesToHex);
  const events = hashes.map((hash, i) => projected(10 + 7 * i, hash));
  const oracle = new DefinitionalTree(hashes.map((h) => Buffer.from(h, 'hex')));

  it('is named and versioned for the projector', () => {
    expect(merkleLogProjection.name).toBe('merkle-log');
    expect(merkleLogProjection.version).toBe(1);
  });

  it('appends each event’s chain hash as the next leaf, findable by hash and position, with proofs a court can check', () => {
    const db = new BetterSqlite3(':memory:');
    merkleLogProjection.setup(db);
    applyAll(db, events);
    const tree = merkleLogTree(db);
    expect(tree.size()).toBe(40);
    expect(bytesToHex(tree.root())).toBe(oracle.root(40));

    const event = events[25];
    const leafIndex = tree.leafIndexOf(event.hash);
    expect(leafIndex).toBe(25);
    expect(tree.leafIndexAtPosition(event.globalPosition)).toBe(25);
    expect(tree.leaf(25)).toEqual({ leafIndex: 25, eventHash: event.hash, globalPosition: event.globalPosition });
    const verdict = verifyInclusion({
      leafIndex: 25,
      treeSize: 40,
      leafHash: eventLeafHash(event.hash),
      proof: tree.inclusionProof(25, 40),
      rootHash: tree.root(),
    });
    expect(verdict).toEqual({ ok: true });
    expect(
      verifyConsistency({
        firstSize: 26,
        secondSize: 40,
        firstRoot: tree.root(26),
        secondRoot: tree.root(),
        proof: tree.consistencyProof(26),
      }),
    ).toEqual({ ok: true });
    db.close();
  });

  it('rebuilds to the very same tree after teardown, and keeps nothing of a rolled-back batch', () => {
    const db = new BetterSqlite3(':memory:');
    merkleLogProjection.setup(db);
    applyAll(db, events.slice(0, 30));
    const before = bytesToHex(merkleLogTree(db).root());

    expect(() =>
      db.transaction(() => {
        for (const event of events.slice(30)) merkleLogProjection.apply(db, event);
        throw new Error('another projection failed on the same batch');
      })(),
    ).toThrow('another projection failed');
    expect(bytesToHex(merkleLogTree(db).root())).toBe(before);

    merkleLogProjection.teardown(db);
    merkleLogProjection.setup(db);
    expect(merkleLogTree(db).size()).toBe(0);
    applyAll(db, events);
    expect(bytesToHex(merkleLogTree(db).root())).toBe(oracle.root(40));
    db.close();
  });

  it('refuses an event applied twice or out of order, rather than forking the log', () => {
    const db = new BetterSqlite3(':memory:');
    merkleLogProjection.setup(db);
    applyAll(db, events.slice(0, 3));
    expect(() => applyAll(db, [events[2]])).toThrow(/global position 24 is not after the last logged position 24/);
    expect(() => applyAll(db, [projected(1000, events[1].hash)])).toThrow(`event ${events[1].hash} is already leaf 1 of the Merkle log`);
    expect(merkleLogTree(db).size()).toBe(3);
    db.close();
  });
});
