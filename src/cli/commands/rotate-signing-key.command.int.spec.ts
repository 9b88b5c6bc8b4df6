import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSignedLedger, tamperReadModels } from '../../evidence/ledger-audit/sqlite/signed-ledger.test-support';
import { merkleLogTree } from '../../evidence/merkle/merkle-log.projection';
import { adoptSigningKey } from '../../evidence/tree-heads/log-keys';
import { LogSigningKey, loadOrCreateSigningKey, SigningKeyError } from '../../evidence/tree-heads/signing-key';
import { SqliteLogKeyStore } from '../../evidence/tree-heads/sqlite/sqlite-log-key-store';
import { SqliteTreeHeadStore } from '../../evidence/tree-heads/sqlite/sqlite-tree-head-store';
import { TreeHeadSigner } from '../../evidence/tree-heads/tree-head-signer';
import { ProjectorLock } from '../../projections/projector-lock';
import { openReadModelDatabase } from '../../projections/read-model-database';
import { FixedClock } from '../../shared/clock';
import { CliFailure, type CliIo } from '../cli-command';
import { createRotateSigningKeyCommand } from './rotate-signing-key.command';
import { verifyStoreCommand } from './verify-store.command';

const projectRoot = resolve(__dirname, '../../..');

describe('seizure-ledger rotate-signing-key on a real data dir', () => {
  let root: string;
  let dataDir: string;
  let out: string[];
  let io: CliIo;
  const clock = new FixedClock('2024-04-21T06:00:00.000Z');
  const rotate = (): number => createRotateSigningKeyCommand(clock).run(['--json'], io) as number;
  const verifyStore = async (): Promise<{ code: number; text: string }> => {
    out = [];
    const code = await verifyStoreCommand.run([], io);
    return { code, text: out.join('\n') };
  };
  /** Signs one more head the way the server does after start-up: the key file's key, checked against the history. */
  const signHeadAsServer = (): void => {
    const db = openReadModelDatabase({ dataDir, eventStoreConnectionString: undefined });
    try {
      const heads = new SqliteTreeHeadStore(db);
      heads.setup();
      const keys = new SqliteLogKeyStore(db);
      keys.setup();
      const key = adoptSigningKey(loadOrCreateSigningKey({ dataDir }), keys, heads, clock);
      clock.advance(60_000);
      new TreeHeadSigner(merkleLogTree(db), heads, key, clock, { intervalMs: 1000, maxAgeMs: 1 }).tick();
    } finally {
      db.close();
    }
  };

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'ledger-rotate-'));
    dataDir = join(root, 'data');
    mkdirSync(dataDir, { mode: 0o700 });
    io = { env: { LEDGER_DATA_DIR: dataDir }, cwd: projectRoot, stdout: (t) => out.push(t), stderr: () => undefined };
    await buildSignedLedger(dataDir, [8, 8]);
    out = [];
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('the old key announces the new one; heads before and after verify, and verify-store passes', async () => {
    const before = loadOrCreateSigningKey({ dataDir });
    expect(rotate()).toBe(0);
    const rotation = JSON.parse(out.join('')) as {
      next: { keyId: string; validFrom: string };
      announcement: { nextKey: unknown; keyId: string };
    };
    const after = loadOrCreateSigningKey({ dataDir });
    expect(after.keyId).toBe(rotation.next.keyId);
    expect(after.keyId).not.toBe(before.keyId);
    expect(statSync(join(dataDir, 'evidence-signing-key.pem')).mode & 0o777).toBe(0o600);
    const retired = join(dataDir, 'retired-signing-keys', `${before.keyId}.pem`);
    expect(statSync(retired).mode & 0o777).toBe(0o600);
    expect(LogSigningKey.fromPem(readFileSync(retired)).keyId).toBe(before.keyId);
    expect(rotation.announcement).toMatchObject({
      keyId: before.keyId,
      nextKey: { publicKey: after.publicKeyBase64, validFrom: rotation.next.validFrom },
    });

    signHeadAsServer();
    const { code, text } = await verifyStore();
    expect(text).toContain('signed by 2 keys, each announced by the one before');
    expect(code).toBe(0);
  });

  it('refuses while a server holds the read models, and a key file others can read', () => {
    const db = openReadModelDatabase({ dataDir, eventStoreConnectionString: undefined });
    const server = new ProjectorLock(db, 'server');
    server.tryAcquire();
    try {
      expect(() => rotate()).toThrow(/stop the server before rotating its key/);
    } finally {
      server.release();
      db.close();
    }
    chmodSync(join(dataDir, 'evidence-signing-key.pem'), 0o644);
    expect(() => rotate()).toThrow(CliFailure);
    expect(() => rotate()).toThrow(/readable by group and others/);
  });

  it('a head signed by an unannounced key fails verify-store, and the server refuses such a key file', async () => {
    expect(rotate()).toBe(0);
    const logId = loadOrCreateSigningKey({ dataDir }).logId;
    const stranger = LogSigningKey.generate().forLog(logId);
    tamperReadModels(dataDir, (db) => {
      const last = new SqliteTreeHeadStore(db).latest()!;
      new SqliteTreeHeadStore(db).insert(
        stranger.sign({ treeSize: last.treeSize, rootHash: last.rootHash, timestamp: '2024-04-22T00:00:00.000Z' }),
      );
    });
    const { code, text } = await verifyStore();
    expect(code).toBe(1);
    expect(text).toMatch(/UNKNOWN KEY: signature: the head was signed by key [0-9a-f]{16}…, which is not among the log's keys/);
    const db = openReadModelDatabase({ dataDir, eventStoreConnectionString: undefined });
    try {
      expect(() => adoptSigningKey(stranger, new SqliteLogKeyStore(db), new SqliteTreeHeadStore(db), clock)).toThrow(SigningKeyError);
    } finally {
      db.close();
    }
  });

  it('a head claiming the retired key after its validity fails, and so does a key added to the history unannounced', async () => {
    const old = loadOrCreateSigningKey({ dataDir });
    expect(rotate()).toBe(0);
    tamperReadModels(dataDir, (db) => {
      const last = new SqliteTreeHeadStore(db).latest()!;
      new SqliteTreeHeadStore(db).insert(
        old.sign({ treeSize: last.treeSize, rootHash: last.rootHash, timestamp: '2024-04-23T00:00:00.000Z' }),
      );
      const slipped = LogSigningKey.generate();
      new SqliteLogKeyStore(db).insert({
        keyId: slipped.keyId,
        publicKey: slipped.publicKeyBase64,
        validFrom: '2024-04-24T00:00:00.000Z',
        announcedAt: null,
      });
    });
    const { code, text } = await verifyStore();
    expect(code).toBe(1);
    expect(text).toMatch(/OUTSIDE VALIDITY: signature: the head was signed at 2024-04-23T00:00:00.000Z by key/);
    expect(text).toMatch(
      /UNANNOUNCED KEY: key [0-9a-f]{16}… took over at 2024-04-24T00:00:00.000Z unannounced: no head signed by the key before names it/,
    );
  });
});
