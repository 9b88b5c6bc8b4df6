import { createPrivateKey, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { FixedClock } from '../../shared/clock';
import { openCheckpoint } from '../checkpoint/checkpoint';
import { parseVerifierKey } from '../checkpoint/signed-note';
import { merkleLogProjection, merkleLogTree } from '../merkle/merkle-log.projection';
import { hexToBytes } from '../merkle/rfc9162';
import { LogSigningKey } from './signing-key';
import { SqliteTreeHeadStore } from './sqlite/sqlite-tree-head-store';
import { EvidenceLookupError, TreeHeadLog } from './tree-head-log';
import { TreeHeadSigner } from './tree-head-signer';
import { treeHeadSigningInput } from './tree-head';

const hashOf = (i: number): string => i.toString(16).padStart(64, '0');

/** Each signed head is also a C2SP checkpoint, signed once, stored with it and served byte for byte. */
describe('checkpoints of signed tree heads (SQLite)', () => {
  let dir: string;
  let db: Database.Database;
  let clock: FixedClock;
  let key: LogSigningKey;
  let appended: number;

  const appendEvents = (count: number): void => {
    for (let i = 0; i < count; i++) {
      appended++;
      merkleLogTree(db).append([{ eventHash: hashOf(appended), globalPosition: appended }]);
    }
  };
  const storeOf = (): SqliteTreeHeadStore => {
    const store = new SqliteTreeHeadStore(db);
    store.setup();
    return store;
  };
  const signerOf = (heads: SqliteTreeHeadStore, origin?: string): TreeHeadSigner =>
    new TreeHeadSigner(merkleLogTree(db), heads, key, clock, { intervalMs: 1000, ...(origin !== undefined && { origin }) });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'checkpoints-'));
    db = new Database(join(dir, 'read-models.sqlite'));
    merkleLogProjection.setup(db);
    key = LogSigningKey.generate();
    clock = new FixedClock('2024-04-20T06:00:00.000Z');
    appended = 0;
  });

  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs the head’s size and root under the origin, verifiable with the published verifier key', () => {
    const heads = storeOf();
    const origin = 'ledger.example.gov.in/seizures';
    const log = new TreeHeadLog(merkleLogTree(db), heads, key, origin);
    appendEvents(5);
    const head = signerOf(heads, origin).tick()!;

    const text = log.checkpoint();
    const published = log.publicKey();
    expect(published).toMatchObject({
      checkpointOrigin: origin,
      checkpointVerifierKey: expect.stringMatching(/^ledger\.example\.gov\.in\/seizures\+[0-9a-f]{8}\+/),
    });
    // The base64 part may itself hold '+': everything after the second one.
    const typedKey = Buffer.from(published.checkpointVerifierKey.slice(origin.length + 10), 'base64');
    expect(typedKey).toEqual(Buffer.concat([Buffer.from([0x01]), key.publicKeyRaw]));
    const opened = openCheckpoint(text, { origin, logVerifier: parseVerifierKey(published.checkpointVerifierKey) });
    expect(opened.ok && opened.checkpoint).toEqual({ origin, treeSize: 5, rootHash: hexToBytes(head.rootHash), extensions: [] });
    expect(text.startsWith(`${origin}\n5\n${Buffer.from(head.rootHash, 'hex').toString('base64')}\n\n\u2014 ${origin} `)).toBe(true);
    expect(log.checkpoint(5)).toBe(text);
    expect(log.checkpoint()).toBe(text);
  });

  it('answers the earliest checkpoint of a size, the newest without one, and 404 for a size never signed', () => {
    const heads = storeOf();
    const log = new TreeHeadLog(merkleLogTree(db), heads, key);
    expect(() => log.checkpoint()).toThrow(new EvidenceLookupError('no-such-checkpoint', 404, 'no checkpoint has been signed yet'));
    const signer = signerOf(heads);
    appendEvents(2);
    signer.tick();
    const atTwo = log.checkpoint();
    clock.advance(60 * 60 * 1000);
    expect(signer.tick()).toMatchObject({ treeSize: 2 });
    expect(log.checkpoint(2)).toBe(atTwo);
    appendEvents(1);
    signer.tick();
    expect(log.checkpoint().split('\n')[1]).toBe('3');
    expect(log.checkpoint().split('\n')[0]).toBe(`seizure-custody-ledger/${key.logId.slice(0, 16)}`);
    expect(() => log.checkpoint(1)).toThrow('no checkpoint was signed at size 1');
    expect(() => db.prepare("UPDATE tree_heads SET checkpoint = 'x'").run()).toThrow(/append-only/);
  });

  it('reads a database from before checkpoints, keeps its heads, and signs a head with a checkpoint at once', () => {
    db.exec(`CREATE TABLE tree_heads (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, tree_size INTEGER NOT NULL CHECK (tree_size >= 0), root_hash TEXT NOT NULL,
      timestamp TEXT NOT NULL UNIQUE, log_id TEXT NOT NULL, signature TEXT NOT NULL)`);
    appendEvents(3);
    // A head as signed before keys could be rotated: no keyId.
    const unsigned = { logId: key.logId, treeSize: 3, rootHash: merkleLogTree(db).rootHex(3), timestamp: '2024-04-20T05:59:00.000Z' };
    const old = {
      ...unsigned,
      signature: sign(null, treeHeadSigningInput(unsigned), createPrivateKey(key.privateKeyPem())).toString('base64'),
    };
    db.prepare('INSERT INTO tree_heads (tree_size, root_hash, timestamp, log_id, signature) VALUES (?, ?, ?, ?, ?)').run(
      old.treeSize,
      old.rootHash,
      old.timestamp,
      old.logId,
      old.signature,
    );

    const heads = storeOf();
    const log = new TreeHeadLog(merkleLogTree(db), heads, key);
    expect(log.latest()).toEqual(old);
    expect(() => log.checkpoint()).toThrow('no checkpoint has been signed yet');
    expect(() => log.checkpoint(3)).toThrow('no checkpoint was signed at size 3');

    // The tree did not grow and the old head is a minute old, yet a head is due: it has no checkpoint.
    const signed = signerOf(heads).tick();
    expect(signed).toMatchObject({ treeSize: 3, rootHash: old.rootHash, timestamp: '2024-04-20T06:00:00.000Z' });
    expect(log.headAtSize(3)).toEqual(old);
    expect(log.checkpoint(3)).toBe(log.checkpoint());
    expect(signerOf(heads).tick()).toBeNull();
    storeOf();
    expect(log.checkpoint(3)).toBe(log.checkpoint());
  });

  it('signs a head at once under a new origin, keeping the earlier checkpoints as they were', () => {
    const heads = storeOf();
    appendEvents(4);
    signerOf(heads, 'first.example/log').tick();
    const first = new TreeHeadLog(merkleLogTree(db), heads, key, 'first.example/log').checkpoint(4);
    expect(signerOf(heads, 'first.example/log').tick()).toBeNull();
    expect(signerOf(heads, 'second.example/log').tick()).toMatchObject({ treeSize: 4 });
    const log = new TreeHeadLog(merkleLogTree(db), heads, key, 'second.example/log');
    expect(log.checkpoint().startsWith('second.example/log\n4\n')).toBe(true);
    expect(log.checkpoint(4)).toBe(first);
  });
});
