import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { FixedClock } from '../../shared/clock';
import { merkleLogProjection, merkleLogTree } from '../merkle/merkle-log.projection';
import { verifyConsistency, verifyInclusion, hexToBytes } from '../merkle/rfc9162';
import { verifyTreeHeadSignature } from '../verify/tree-head.verify';
import { GENERATED_SIGNING_KEY_FILE, LogSigningKey, SigningKeyError, loadOrCreateSigningKey } from './signing-key';
import { SqliteTreeHeadStore } from './sqlite/sqlite-tree-head-store';
import { TreeHeadLog, EvidenceLookupError } from './tree-head-log';
import { TreeHeadSigner } from './tree-head-signer';

const HOUR = 3600_000;
const hashOf = (i: number): string => i.toString(16).padStart(64, '0');

describe('tree head signer (SQLite)', () => {
  let dir: string;
  let db: Database.Database;
  let clock: FixedClock;
  let heads: SqliteTreeHeadStore;
  let key: LogSigningKey;
  let signer: TreeHeadSigner;
  let log: TreeHeadLog;
  let appended = 0;

  const appendEvents = (count: number): void => {
    db.transaction(() => {
      for (let i = 0; i < count; i++) {
        appended++;
        merkleLogTree(db).append([{ eventHash: hashOf(appended), globalPosition: appended }]);
      }
    })();
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tree-heads-'));
    db = new Database(join(dir, 'read-models.sqlite'));
    merkleLogProjection.setup(db);
    heads = new SqliteTreeHeadStore(db);
    heads.setup();
    key = LogSigningKey.generate();
    clock = new FixedClock('2024-04-20T06:00:00.000Z');
    signer = new TreeHeadSigner(merkleLogTree(db), heads, key, clock, { intervalMs: 20 });
    log = new TreeHeadLog(merkleLogTree(db), heads, key);
    appended = 0;
  });

  afterEach(() => {
    signer.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs a first head at once, even of an empty log, then only after new leaves', () => {
    const first = signer.tick();
    expect(first).toMatchObject({ treeSize: 0, logId: key.logId, timestamp: '2024-04-20T06:00:00.000Z' });
    expect(signer.tick()).toBeNull();

    clock.advance(1000);
    appendEvents(3);
    const second = signer.tick();
    expect(second).toMatchObject({ treeSize: 3, rootHash: merkleLogTree(db).rootHex(3), timestamp: '2024-04-20T06:00:01.000Z' });
    expect(verifyTreeHeadSignature(second!, key.publicKeyRaw)).toEqual({ ok: true });
    expect(signer.tick()).toBeNull();
  });

  it('batches: the events of one interval share one head', async () => {
    signer.tick();
    signer.start();
    appendEvents(2);
    appendEvents(5);
    await new Promise((r) => setTimeout(r, 120));
    appendEvents(1);
    await new Promise((r) => setTimeout(r, 120));
    signer.stop();
    const all = log.list('', 100).items;
    expect(all.map((h) => h.treeSize)).toEqual([0, 7, 8]);
  });

  it('signs a head at least hourly without new events', () => {
    appendEvents(4);
    signer.tick();
    clock.advance(HOUR - 1);
    expect(signer.tick()).toBeNull();
    clock.advance(1);
    const hourly = signer.tick();
    expect(hourly).toMatchObject({ treeSize: 4, timestamp: '2024-04-20T07:00:00.000Z' });
    expect(hourly!.rootHash).toBe(log.headAtSize(4).rootHash);
    // The earliest head of a size answers for it.
    expect(log.headAtSize(4).timestamp).toBe('2024-04-20T06:00:00.000Z');
  });

  it('stamps each head strictly later than the last: 1 ms later when the clock did not move or went back', () => {
    const stamps: string[] = [];
    for (let i = 0; i < 3; i++) {
      appendEvents(1);
      stamps.push(signer.tick()!.timestamp);
    }
    expect(stamps).toEqual(['2024-04-20T06:00:00.000Z', '2024-04-20T06:00:00.001Z', '2024-04-20T06:00:00.002Z']);
    clock.set('2024-04-20T05:00:00.000Z');
    appendEvents(1);
    expect(signer.tick()!.timestamp).toBe('2024-04-20T06:00:00.003Z');
    clock.set('2024-04-20T08:00:00.000Z');
    appendEvents(1);
    expect(signer.tick()!.timestamp).toBe('2024-04-20T08:00:00.000Z');
  });

  it('keeps heads immutable: UPDATE and DELETE are refused', () => {
    appendEvents(2);
    signer.tick();
    expect(() => db.prepare('UPDATE tree_heads SET tree_size = 99').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM tree_heads').run()).toThrow(/append-only/);
    expect(log.latest()).toMatchObject({ treeSize: 2 });
  });

  it('waits while the Merkle log is rebuilt below the last head, and then continues', () => {
    appendEvents(5);
    signer.tick();
    merkleLogProjection.teardown(db);
    merkleLogProjection.setup(db);
    appended = 0;
    appendEvents(3);
    clock.advance(2 * HOUR);
    expect(signer.tick()).toBeNull();
    expect(() => log.inclusionProof({ globalPosition: 1 }, 5)).toThrow(/being rebuilt/);
    appendEvents(3);
    expect(signer.tick()).toMatchObject({ treeSize: 6 });
  });

  it('answers inclusion and consistency proofs only at sizes of signed heads', () => {
    appendEvents(5);
    const first = signer.tick()!;
    appendEvents(6);
    const second = signer.tick()!;

    const proof = log.inclusionProof({ eventHash: hashOf(3) }, first.treeSize);
    expect(proof).toMatchObject({ leafIndex: 2, treeSize: 5, rootHash: first.rootHash, globalPosition: 3, eventHash: hashOf(3) });
    expect(
      verifyInclusion({
        leafIndex: proof.leafIndex,
        treeSize: proof.treeSize,
        leafHash: hexToBytes(proof.leafHash),
        proof: proof.proof.map(hexToBytes),
        rootHash: hexToBytes(first.rootHash),
      }),
    ).toEqual({ ok: true });
    expect(log.inclusionProof({ globalPosition: 9 })).toMatchObject({ leafIndex: 8, treeSize: 11 });

    const consistency = log.consistencyProof(5, 11);
    expect(
      verifyConsistency({
        firstSize: 5,
        secondSize: 11,
        firstRoot: hexToBytes(first.rootHash),
        secondRoot: hexToBytes(second.rootHash),
        proof: consistency.proof.map(hexToBytes),
      }),
    ).toEqual({ ok: true });

    const problem = (work: () => unknown): string | undefined => {
      try {
        work();
      } catch (error) {
        if (error instanceof EvidenceLookupError) return `${error.status} ${error.problem}`;
        throw error;
      }
      return undefined;
    };
    expect(problem(() => log.inclusionProof({ eventHash: hashOf(3) }, 4))).toBe('404 no-such-tree-head');
    expect(problem(() => log.inclusionProof({ eventHash: hashOf(9) }, 5))).toBe('404 event-not-in-tree');
    expect(problem(() => log.inclusionProof({ eventHash: hashOf(99) }, 5))).toBe('404 event-not-in-log');
    expect(problem(() => log.consistencyProof(5, 7))).toBe('404 no-such-tree-head');
    expect(problem(() => log.consistencyProof(11, 5))).toBe('400 invalid-tree-sizes');
  });
});

describe('evidence signing key', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'signing-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is generated on first start into the data dir with mode 0600, and reused later', () => {
    const messages: string[] = [];
    const first = loadOrCreateSigningKey({ dataDir: dir }, (m) => messages.push(m));
    const path = join(dir, GENERATED_SIGNING_KEY_FILE);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(messages).toEqual([expect.stringContaining('generated a new evidence signing key')]);
    const again = loadOrCreateSigningKey({ dataDir: dir });
    expect(again.logId).toBe(first.logId);
  });

  it('is read from EVIDENCE_SIGNING_KEY_FILE when configured, and must be Ed25519', () => {
    const file = join(dir, 'log.pem');
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    const key = loadOrCreateSigningKey({ keyFile: file, dataDir: dir });
    expect(key.logId).toBe(LogSigningKey.fromPem(readFileSync(file)).logId);

    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    writeFileSync(file, ec.export({ format: 'pem', type: 'pkcs8' }));
    expect(() => loadOrCreateSigningKey({ keyFile: file, dataDir: dir })).toThrow(SigningKeyError);
    expect(() => loadOrCreateSigningKey({ keyFile: join(dir, 'missing.pem'), dataDir: dir })).toThrow(/cannot be read/);
  });

  // Judged by the mode bits: a root process could read the file whatever they say.
  it('is refused, with the chmod that fixes it, when group or others can read it', () => {
    const file = join(dir, 'log.pem');
    writeFileSync(file, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }));
    chmodSync(file, 0o640);
    expect(() => loadOrCreateSigningKey({ keyFile: file, dataDir: dir })).toThrow(
      `evidence signing key ${file} is readable by group (mode 0640); run: chmod 600 ${file}`,
    );
    const generated = join(dir, GENERATED_SIGNING_KEY_FILE);
    loadOrCreateSigningKey({ dataDir: dir });
    chmodSync(generated, 0o604);
    expect(() => loadOrCreateSigningKey({ dataDir: dir })).toThrow(`${generated} is readable by others (mode 0604)`);
  });
});
