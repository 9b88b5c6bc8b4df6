import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { FixedClock } from '../../shared/clock';
import { merkleLogProjection, merkleLogTree } from '../merkle/merkle-log.projection';
import { LogSigningKey } from '../tree-heads/signing-key';
import { SqliteTreeHeadStore } from '../tree-heads/sqlite/sqlite-tree-head-store';
import { TreeHeadLog } from '../tree-heads/tree-head-log';
import { TreeHeadSigner } from '../tree-heads/tree-head-signer';
import { openNote, parseVerifierKey, verifierList } from '../checkpoint/signed-note';
import { checkWitnesses } from '../verify/checkpoint.verify';
import { startWitness } from '../witness/start-witness';
import type { RunningWitness } from '../witness/witness-server';
import { CheckpointWitnessing } from './checkpoint-witnessing';
import { SqliteCosignatureStore } from './sqlite/sqlite-cosignature-store';
import { knownWitnesses, submitCheckpoint } from './witness-client';
import { WitnessedCheckpoints } from './witnessed-checkpoints';

const ORIGIN = 'ledger.test.example/seizures';
const hashOf = (i: number): string => i.toString(16).padStart(64, '0');

/** A log: its read-model database, heads, signer, and witnessing over the given witnesses. */
function openLog(dir: string, key: LogSigningKey, witnesses: { name: string; url: string; verifierKey: string }[]) {
  const db = new Database(join(dir, 'read-models.sqlite'));
  merkleLogProjection.setup(db);
  const heads = new SqliteTreeHeadStore(db);
  heads.setup();
  const cosignatures = new SqliteCosignatureStore(db);
  cosignatures.setup();
  const clock = new FixedClock('2024-04-20T06:00:00.000Z');
  const tree = merkleLogTree(db);
  const log = new TreeHeadLog(tree, heads, key, ORIGIN);
  const signer = new TreeHeadSigner(tree, heads, key, clock, { intervalMs: 1000, origin: ORIGIN });
  const known = knownWitnesses(witnesses);
  const warnings: string[] = [];
  const witnessing = new CheckpointWitnessing(
    log,
    cosignatures,
    known,
    { intervalMs: 1000, timeoutMs: 2000, now: () => clock.now() },
    { log: () => undefined, warn: (m) => warnings.push(m) },
  );
  const checkpoints = new WitnessedCheckpoints(log, cosignatures, known, 2, 1000);
  let appended = 0;
  const append = (count: number, fork = false): void => {
    for (let i = 0; i < count; i++) {
      appended++;
      tree.append([{ eventHash: hashOf(fork ? 1000 + appended : appended), globalPosition: appended }]);
    }
  };
  return { db, log, signer, witnessing, checkpoints, cosignatures, warnings, append, clock };
}

describe('a log and two witnesses (in process, over HTTP)', () => {
  let dir: string;
  let key: LogSigningKey;
  let a: { running: RunningWitness; verifierKey: string; name: string };
  let b: { running: RunningWitness; verifierKey: string; name: string };
  const open: { close(): void }[] = [];

  const witness = async (name: string) => {
    const started = await startWitness({
      stateDir: join(dir, name),
      name,
      logKeys: [key.noteVerifierKey(ORIGIN)],
      host: '127.0.0.1',
      port: 0,
      nowSeconds: () => 1_713_592_800,
    });
    return { running: started.running, verifierKey: started.key.verifierKey, name };
  };
  const endpoints = () => [a, b].map((w) => ({ name: w.name, url: w.running.url, verifierKey: w.verifierKey }));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'witnessing-'));
    key = LogSigningKey.generate();
    a = await witness('witness.ceo-up.example');
    b = await witness('witness.court-varanasi.example');
  });
  afterAll(async () => {
    for (const o of open) o.close();
    await a.running.close();
    await b.running.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps its key and state private (0600) in its state dir', () => {
    expect(statSync(join(dir, a.name, 'witness-key')).mode & 0o777).toBe(0o600);
  });

  it('gets both cosignatures, and the newest witnessed head carries them; the log follows each witness as it grows', async () => {
    const log = openLog(mkdtempSync(join(dir, 'log-')), key, endpoints());
    open.push(log.db);
    log.append(5);
    log.signer.tick();
    await log.witnessing.round();
    const first = log.checkpoints.newestWitnessed(5)!;
    expect(first.head.treeSize).toBe(5);
    expect(first.cosignedBy.sort()).toEqual([a.name, b.name]);
    expect(statSync(join(dir, a.name, 'witness-state.json')).mode & 0o777).toBe(0o600);

    log.append(4);
    log.clock.advance(5000);
    log.signer.tick();
    expect(log.checkpoints.newestWitnessed(9)).toBeUndefined();
    await log.witnessing.round();
    const second = log.checkpoints.newestWitnessed(9)!;
    expect(second.head.treeSize).toBe(9);
    const counted: string[] = [];
    const tally = checkWitnesses(
      openNote(second.checkpoint, verifierList(parseVerifierKey(key.noteVerifierKey(ORIGIN)))),
      [a, b],
      2,
      (_c, ok, d) => {
        if (!ok) counted.push(d);
      },
    );
    expect(counted).toEqual([]);
    expect(tally.cosignedBy.sort()).toEqual([a.name, b.name]);
  });

  it('a forked log (another event at the same size, signed by the same key) is refused by both witnesses', async () => {
    const fork = openLog(mkdtempSync(join(dir, 'fork-')), key, endpoints());
    open.push(fork.db);
    fork.append(9, true);
    fork.signer.tick();
    await fork.witnessing.round();
    expect(fork.checkpoints.newestWitnessed(1)).toBeUndefined();
    expect(fork.warnings).toHaveLength(2);
    for (const warning of fork.warnings) expect(warning).toMatch(/did not cosign: 422: a fork: size 9 was cosigned with another root hash/);
  });

  it('a rollback to an earlier checkpoint is refused (400 from its own size, 409 from any other)', async () => {
    const log = openLog(mkdtempSync(join(dir, 'rollback-')), key, []);
    open.push(log.db);
    log.append(5);
    log.signer.tick();
    const [known] = knownWitnesses(endpoints());
    const older = log.log.checkpoint(5);
    expect(await submitCheckpoint(known, { oldSize: 9, proof: [], checkpoint: older }, 2000)).toEqual({
      kind: 'refused',
      reason: "400: old size 9 is larger than the checkpoint's size 5",
    });
    expect(await submitCheckpoint(known, { oldSize: 5, proof: [], checkpoint: older }, 2000)).toEqual({
      kind: 'size-mismatch',
      witnessSize: 9,
    });
  });

  it('a witness that is down does not stop signing: heads are signed, the round ends, a warning says so', async () => {
    const gone = await witness('witness.gone.example');
    await gone.running.close();
    const log = openLog(mkdtempSync(join(dir, 'down-')), key, [{ name: gone.name, url: gone.running.url, verifierKey: gone.verifierKey }]);
    open.push(log.db);
    log.append(3);
    expect(log.signer.tick()).toMatchObject({ treeSize: 3 });
    await log.witnessing.round();
    log.append(2);
    log.clock.advance(5000);
    expect(log.signer.tick()).toMatchObject({ treeSize: 5 });
    expect(log.warnings).toEqual([
      expect.stringMatching(/^witness witness\.gone\.example \(http:\/\/127\.0\.0\.1:\d+\) did not cosign: .*; next try in 1 s$/),
    ]);
    // Backing off: the next round does not ask it again at once.
    await log.witnessing.round();
    expect(log.warnings).toHaveLength(1);
    expect(log.cosignatures.ofCheckpoint(log.log.checkpoint())).toEqual([]);
  });
});
