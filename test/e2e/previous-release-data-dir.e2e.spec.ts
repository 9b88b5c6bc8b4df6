import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { TEST_JWT_SECRET, testToken } from '../../src/auth/auth.test-support';
import { SEALING_FORMAT } from '../../src/custody/sealing/personal-data-sealing';
import type { EvidenceBundle } from '../../src/evidence/bundle/evidence-bundle';
import { verifyEvidenceBundle } from '../../src/evidence/verify/bundle.verify';
import { REGISTERED_PROJECTIONS } from '../../src/registered-projections';
import { isSealedValue } from '../../src/sealing/commitment';
import type { Actor } from '../../src/shared/actor';
import { runCliWith } from '../support/cli-process';
import { actors, custodians } from '../support/custody-fixtures';
import {
  copyPreviousReleaseDataDir,
  readPreviousReleaseManifest,
  readStoredEvents,
  type StoredEventRow,
} from '../support/previous-release-data-dir';
import { eventually, freePort, startServerProcess, waitForHealth, type ServerProcess } from '../support/server-process';

/** A server start under ts-node, a CLI run and a few dozen requests, on shared cores. */
jest.setTimeout(240_000);

/**
 * An upgrade from the release before personal-data sealing (issue #17), on the data dir that
 * release itself wrote (scripts/make-previous-release-data-dir.mjs; what is in it: its
 * manifest.json). Today's server, started as an operator starts it, must migrate the ledger, create
 * the key store, read the old events exactly as written (their personal values in clear: they were
 * never sealed and cannot be), rebuild its read models, seal what is recorded from now on, and still
 * prove the old log: the heads the old release signed and the evidence of its seizures.
 *
 * test/e2e/legacy-ledger.e2e.spec.ts covers the other kind of old data: events under older input
 * rules, appended by today's store. This one covers the files: schema, keys, heads, read models.
 */
const manifest = readPreviousReleaseManifest('f330f65-before-sealing');

/** The rows of the tables that cannot be rebuilt, every column's exact bytes, in stored order. */
function readKeptTables(file: string): Record<string, unknown[]> {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const columns = (table: string) => (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name);
    const exactly = (c: string) => `typeof(${c}) || ':' || coalesce(hex(${c}), '') AS ${c}`;
    const rows = (table: string) => db.prepare(`SELECT ${columns(table).map(exactly).join(', ')} FROM ${table} ORDER BY seq`).all();
    return Object.fromEntries(['tree_heads', 'log_keys'].map((table) => [table, rows(table)]));
  } finally {
    db.close();
  }
}
const { expected } = manifest;
const { cash, liquor, rejected } = expected.seizures;

/** Sees every seizure and personal data, and may ask for evidence bundles. */
const nationalOfficer: Actor = {
  sub: 'u-eci-obs',
  name: 'ECI Observer',
  roles: ['officer', 'court'],
  unit: 'ECI-OBS',
  agency: 'election_office',
  scope: { national: true },
};

const NEW_CORRECTION = 'Witness Mohan Lal is Mohan Lal Yadav of Cantt, Varanasi';
const NEW_TRANSFER_REASON = 'handed over again with a fresh seal, in the presence of Shabana Bano';

describe('a data dir written by the release before personal-data sealing (e2e, SQLite, real server)', () => {
  let root: string;
  let dataDir: string;
  let server: ServerProcess;
  let base: string;
  /** The events table as the old release left it, read before today's server touched the file. */
  let oldRows: StoredEventRow[];
  /** The tables that cannot be rebuilt (signed heads, the key history), as the old release left them in ledger.sqlite. */
  let oldKept: Record<string, unknown[]>;
  let lastPosition: number;

  const bearer = (actor: Actor) => ({ Authorization: `Bearer ${testToken({ ...actor, ttlSeconds: 3600 })}` });
  async function get<T = Record<string, unknown>>(path: string, actor: Actor = nationalOfficer): Promise<T> {
    const response = await fetch(`${base}${path}`, { headers: bearer(actor) });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${text}`);
    // Parsed here, not by fetch: the verifier's canonical JSON accepts only this realm's plain objects.
    return JSON.parse(text) as T;
  }
  async function post(path: string, actor: Actor, body: object): Promise<{ globalPosition: number }> {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { ...bearer(actor), 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
      body: JSON.stringify(body),
    });
    if (response.status >= 300) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { globalPosition: number };
  }
  type TrailEntry = { eventId: string; type: string; globalPosition: number; data: Record<string, unknown>; metadata: object };
  const trail = async (id: string) => (await get<{ events: TrailEntry[] }>(`/seizures/${id}/events`)).events;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'ledger-previous-release-'));
    dataDir = join(root, 'data');
    copyPreviousReleaseDataDir(manifest, dataDir);
    oldRows = readStoredEvents(dataDir);
    oldKept = readKeptTables(join(dataDir, 'ledger.sqlite'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = startServerProcess({
      PORT: String(port),
      HOST: '127.0.0.1',
      LEDGER_DATA_DIR: dataDir,
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'warn',
      TREE_HEAD_INTERVAL_SECONDS: '1',
      RATE_LIMIT_PER_MINUTE: '1000000',
      RATE_LIMIT_BURST_PER_SECOND: '100000',
    });
    await waitForHealth(`${base}/health`, server, 120_000);

    // Today's commands on old seizures: a correction restating a witness, a fresh handover of the refused beer.
    const seizureEvent = oldRows.find((r) => r.streamName === `seizure-${liquor}` && r.type === 'SeizureRecorded') as StoredEventRow;
    await post(`/seizures/${liquor}/corrections`, actors.flyingSquad, {
      correctsEventId: seizureEvent.eventId,
      whatWasWrong: 'witnesses[0].name was written short',
      correction: NEW_CORRECTION,
      reason: 'read again from the memo',
    });
    const again = await post(`/seizures/${rejected}/transfers`, actors.flyingSquad, {
      transferId: randomUUID(),
      itemIds: ['item-beer'],
      to: custodians.malkhana,
      sealNumbers: ['S-1002'],
      reason: NEW_TRANSFER_REASON,
    });
    lastPosition = again.globalPosition;
    await eventually(60_000, 'the projector catching up', async () => {
      const health = (await (await fetch(`${base}/health`)).json()) as { projector?: { position?: number } };
      return health.projector?.position === lastPosition;
    });
  });

  afterAll(async () => {
    if (server?.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('is the data dir the manifest describes: the old schema, no key store, every event under a signed head', () => {
    expect(oldRows).toHaveLength(expected.eventCount);
    expect(oldRows.every((r) => r.envelopes === null && r.metadata.sealing === undefined)).toBe(true);
    expect(oldRows.map((r) => r.globalPosition)).toEqual(Array.from({ length: expected.eventCount }, (_, i) => i + 1));
    expect(expected.latestTreeHead.treeSize).toBe(expected.eventCount);
    for (const file of manifest.files) expect(existsSync(join(dataDir, file.path))).toBe(true);
    expect(manifest.files.map((f) => f.path)).not.toContain('personal-data-keys.sqlite');
    expect(manifest.files.map((f) => f.path)).not.toContain('personal-data-kek');
  });

  it('starts and migrates: schema 2 adds the envelopes column, the key store and its key-encryption key are created private', async () => {
    const health = await (await fetch(`${base}/health`)).json();
    expect(health).toMatchObject({ status: 'ok' });

    const db = new BetterSqlite3(join(dataDir, 'ledger.sqlite'), { readonly: true });
    try {
      const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>;
      expect(expected.schemaMigrations).toEqual([1]);
      expect(versions.map((v) => v.version)).toEqual([1, 2]);
      const columns = (db.prepare('PRAGMA table_info(events)').all() as Array<{ name: string }>).map((c) => c.name);
      expect(columns).toContain('envelopes');
    } finally {
      db.close();
    }
    for (const name of ['personal-data-keys.sqlite', 'personal-data-kek']) {
      const stats = statSync(join(dataDir, name));
      expect({ name, groupOrOthers: stats.mode & 0o077 }).toEqual({ name, groupOrOthers: 0 });
    }
  });

  it('reads every old event back exactly as the old release stored it, personal values in clear', async () => {
    const now = readStoredEvents(dataDir);
    expect(now.slice(0, expected.eventCount)).toEqual(oldRows);
    for (const id of [cash, liquor, rejected]) {
      const old = oldRows.filter((r) => r.streamName === `seizure-${id}`);
      const read = (await trail(id)).filter((e) => e.globalPosition <= expected.eventCount);
      expect(read.map(({ eventId, type, data, metadata }) => ({ eventId, type, data, metadata }))).toEqual(
        old.map(({ eventId, type, data, metadata }) => ({ eventId, type, data, metadata })),
      );
    }
    const cashTrail = await trail(cash);
    const dataOf = (type: string) => cashTrail.find((e) => e.type === type)?.data;
    expect(dataOf('SeizureRecorded')).toMatchObject({ seizedFrom: expected.seizedFrom, witnesses: expected.witnesses });
    expect(dataOf('ItemsReleased')).toMatchObject({ releasedTo: expected.releasedTo });
    expect(dataOf('CustodyTransferAccepted')).toMatchObject({ remarks: expected.freeText.acceptRemarks });
    expect(dataOf('CorrectionRecorded')).toMatchObject({ correction: expected.freeText.correction });
    const view = await get(`/seizures/${cash}`);
    expect(view).toMatchObject({ seizedFrom: expected.seizedFrom, witnesses: expected.witnesses });
  });

  it('carries the signed heads and the key history over into read-models.sqlite as stored, and leaves them in ledger.sqlite', () => {
    expect(oldKept.tree_heads).toHaveLength(2);
    expect(oldKept.log_keys).toHaveLength(1);
    const now = readKeptTables(join(dataDir, 'read-models.sqlite'));
    for (const table of Object.keys(oldKept))
      expect({ table, rows: now[table].slice(0, oldKept[table].length) }).toEqual({ table, rows: oldKept[table] });
    expect(readKeptTables(join(dataDir, 'ledger.sqlite'))).toEqual(oldKept);
    expect(statSync(join(dataDir, 'read-models.sqlite')).mode & 0o777).toBe(0o600);
  });

  it('rebuilds its read models at their current versions and serves the old seizures through them', async () => {
    const health = (await (await fetch(`${base}/health`)).json()) as { projector: Record<string, unknown> };
    expect(health.projector.position).toBe(lastPosition);
    expect(health.projector.failedReadModels).toBeUndefined();
    // Read models now live in a file of their own; ledger.sqlite keeps the old ones untouched, for a rollback.
    const db = new BetterSqlite3(join(dataDir, 'read-models.sqlite'), { readonly: true });
    const checkpoints = db.prepare('SELECT name, version, position, status FROM projection_checkpoints').all();
    db.close();
    // custody-history went from version 3 to 4 with sealing: rebuilt from the log, not carried over.
    expect(checkpoints).toEqual(
      expect.arrayContaining(
        REGISTERED_PROJECTIONS.map((p) => ({ name: p.name, version: p.version, position: lastPosition, status: 'live' })),
      ),
    );

    const search = await get<{ items: Array<{ seizureId: string }> }>('/seizures?limit=50');
    expect(search.items.map((s) => s.seizureId).sort()).toEqual([cash, liquor, rejected].sort());
    const history = JSON.stringify(await get(`/seizures/${cash}/custody-history`));
    expect(history).toContain(expected.freeText.acceptRemarks);
    const timeline = await get<{ events: unknown[] }>(`/seizures/${cash}/timeline`);
    expect(timeline.events).toHaveLength(oldRows.filter((r) => r.streamName === `seizure-${cash}`).length);
  });

  it('seals what is recorded now on an old seizure: a commitment in the hashed data, its envelope beside it, opened for readers', async () => {
    const added = readStoredEvents(dataDir).slice(expected.eventCount);
    expect(added.map((r) => [r.streamName, r.type])).toEqual([
      [`seizure-${liquor}`, 'CorrectionRecorded'],
      [`seizure-${rejected}`, 'CustodyTransferInitiated'],
    ]);
    for (const row of added) {
      expect(row.metadata.sealing).toBe(SEALING_FORMAT);
      expect(row.envelopes).toEqual(expect.any(String));
      // Each new event continues its old stream's chain.
      const before = oldRows.filter((r) => r.streamName === row.streamName).at(-1) as StoredEventRow;
      expect(row.prevHash).toBe(before.hash);
    }
    const [correction, transfer] = added.map((r) => r.data as Record<string, unknown>);
    expect(isSealedValue(correction.correction)).toBe(true);
    expect(isSealedValue(transfer.reason)).toBe(true);
    expect(JSON.stringify(added.map((r) => r.data))).not.toMatch(/Mohan Lal|Shabana/);

    const read = (await trail(liquor)).find((e) => e.globalPosition > expected.eventCount);
    expect(read?.data).toMatchObject({ correction: NEW_CORRECTION });
    expect((await trail(rejected)).at(-1)?.data).toMatchObject({ reason: NEW_TRANSFER_REASON });
  });

  it("serves each old seizure's evidence bundle, old values in clear and new ones opened, and it verifies", async () => {
    const { publicKey } = await get<{ publicKey: string }>('/evidence/public-key');
    const key = Uint8Array.from(Buffer.from(publicKey, 'base64'));
    for (const id of [cash, liquor, rejected]) {
      const bundle = await get<EvidenceBundle>(`/seizures/${id}/evidence`);
      const report = verifyEvidenceBundle(bundle, { publicKey: key });
      expect({ id, failed: report.checks.filter((c) => !c.ok) }).toEqual({ id, failed: [] });
    }
    const cashBundle = JSON.stringify(await get(`/seizures/${cash}/evidence`));
    expect(cashBundle).toContain(JSON.stringify(expected.seizedFrom.name));
    expect(JSON.stringify(await get(`/seizures/${liquor}/evidence`))).toContain(NEW_CORRECTION);
  });
  // Last: the CLI runs synchronously, and meanwhile the server's keep-alive closes this process's idle sockets.
  it("still proves the log: verify-store passes, the old release's heads included, and its last head verifies as an outside head", async () => {
    await eventually(60_000, 'a head over the new events', async () => {
      const head = await get<{ treeSize: number }>('/evidence/tree-heads/latest');
      return head.treeSize === lastPosition;
    });
    const publicKey = await get<{ publicKey: string }>('/evidence/public-key');
    // The signing key in the data dir is carried over: the key the old release published still signs.
    expect(publicKey.publicKey).toBe(expected.evidencePublicKey.publicKey);
    const oldHead = await get<{ rootHash: string }>(`/evidence/tree-heads?treeSize=${expected.eventCount}`);
    expect(oldHead.rootHash).toBe(expected.latestTreeHead.rootHash);

    const headFile = join(root, 'old-head.json');
    const keyFile = join(root, 'old-public-key.json');
    writeFileSync(headFile, JSON.stringify(expected.latestTreeHead));
    writeFileSync(keyFile, JSON.stringify(expected.evidencePublicKey));
    const run = runCliWith({ LEDGER_DATA_DIR: dataDir }, 'verify-store', '--head', headFile, '--public-key', keyFile);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toContain(`chain: OK — ${lastPosition} events in 3 streams hash-linked`);
    const checked = /^heads in data dir: OK — (\d+) heads? checked/m.exec(run.stdout);
    // The two the old release signed, and at least one signed today over the new events.
    expect(Number(checked?.[1])).toBeGreaterThanOrEqual(3);
    expect(run.stdout).toMatch(/^outside heads: OK/m);
    expect(run.stdout).toMatch(/^OK: sqlite store: every check holds$/m);
  });
});
