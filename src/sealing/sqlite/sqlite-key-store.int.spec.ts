import { createSecretKey, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CONFIG_DEFAULTS, type AppConfig } from '../../config/app-config';
import { SqliteEventStore } from '../../ledger/sqlite/sqlite-event-store';
import { FixedClock } from '../../shared/clock';
import type { JsonValue } from '../../shared/json';
import { testAuthConfig } from '../../auth/auth.test-support';
import { parseEnvelopes, serializeEnvelopes } from '../envelope';
import { GENERATED_KEK_FILE, loadKek, type KekSource } from '../kek-source';
import { ErasureIncompleteError, KeyEncryptionKeyMismatchError, type SubjectKey } from '../key-store';
import { keyIdsOf, revealFields, sealFields } from '../seal-fields';
import { createKeyStore, KEY_STORE_FILENAME } from '../sealing.module';
import { SUBJECTS } from '../subjects';
import { SqliteKeyStore } from './sqlite-key-store';

const SEIZURE = 'SZ-2024-VNS-0117';
const HOUR = 3600_000;

describe('SqliteKeyStore (a real SQLite file of its own)', () => {
  let dir: string;
  let clock: FixedClock;
  let kek: KekSource;
  const open: SqliteKeyStore[] = [];
  const openStore = (source: KekSource = kek): SqliteKeyStore => {
    const store = SqliteKeyStore.open({ filename: join(dir, KEY_STORE_FILENAME), kek: source, clock });
    open.push(store);
    return store;
  };
  const givenKek = (): KekSource => ({ kek: createSecretKey(randomBytes(32)), source: 'PERSONAL_DATA_KEK', created: false });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-keys-'));
    clock = new FixedClock('2024-04-19T05:30:00.000Z');
    kek = loadKek({}, dir);
  });

  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits a new key before returning it: another connection sees it at once', async () => {
    const store = openStore();
    const key = await store.keyFor(SEIZURE, SUBJECTS.witness(1));

    const other = new BetterSqlite3(join(dir, KEY_STORE_FILENAME), { readonly: true });
    const row = other.prepare('SELECT key_id, seizure_id, subject, length(wrapped_key) AS bytes FROM subject_keys').get();
    other.close();
    expect(row).toEqual({ key_id: key.keyId, seizure_id: SEIZURE, subject: 'witness-1', bytes: 60 });

    const second = openStore();
    const again = await second.keyFor(SEIZURE, SUBJECTS.witness(1));
    expect(again.keyId).toBe(key.keyId);
    expect(again.key.export()).toEqual(key.key.export());
  });

  it("commits a command's keys together, in subject order, the ones that exist handed out again", async () => {
    const store = openStore();
    const existing = await store.keyFor(SEIZURE, SUBJECTS.seizedFrom);
    const keys = await store.keysFor(SEIZURE, [SUBJECTS.witness(1), SUBJECTS.seizedFrom, SUBJECTS.freeText]);
    expect(keys.map((k) => k.subject)).toEqual(['witness-1', 'seized-from', 'free-text']);
    expect(keys[1].keyId).toBe(existing.keyId);

    const other = new BetterSqlite3(join(dir, KEY_STORE_FILENAME), { readonly: true });
    const rows = other.prepare('SELECT key_id FROM subject_keys ORDER BY key_id').pluck().all();
    other.close();
    expect(rows).toEqual(keys.map((k) => k.keyId).sort());
  });

  it('destroys the keys of every subject of one erasure together, only those it lists', async () => {
    const store = openStore();
    const [person, witness, text] = await store.keysFor(SEIZURE, [SUBJECTS.seizedFrom, SUBJECTS.witness(1), SUBJECTS.freeText]);
    const erasure = { eventId: 'e-erasure', orderReference: 'DEO/7' };
    const buried = await store.destroyForErasure(SEIZURE, erasure, [
      { subject: SUBJECTS.seizedFrom, keyIds: [person.keyId] },
      { subject: SUBJECTS.witness(1), keyIds: [witness.keyId] },
      // Listed under another key id (a newer one stands now): kept.
      { subject: SUBJECTS.freeText, keyIds: ['some-older-key'] },
    ]);
    expect(buried.map((t) => [t.subject, t.erasure])).toEqual([
      ['seized-from', erasure],
      ['witness-1', erasure],
    ]);
    const lookup = await store.lookup([person.keyId, witness.keyId, text.keyId]);
    expect([person, witness, text].map((k) => lookup(k.keyId).status)).toEqual(['erased', 'erased', 'available']);
    expect(await store.destroyForErasure(SEIZURE, erasure, [{ subject: SUBJECTS.seizedFrom, keyIds: [person.keyId] }])).toEqual([]);
  });

  it('gives each subject of a seizure its own key, and keeps them across a restart', async () => {
    const store = openStore();
    const keys = await Promise.all(
      [SUBJECTS.seizedFrom, SUBJECTS.witness(1), SUBJECTS.witness(2), SUBJECTS.freeText].map((s) => store.keyFor(SEIZURE, s)),
    );
    expect(new Set(keys.map((k) => k.keyId)).size).toBe(4);
    expect(new Set(keys.map((k) => k.key.export().toString('hex'))).size).toBe(4);
    await store.close();

    const reopened = openStore(loadKek({}, dir));
    const lookup = await reopened.lookup(keys.map((k) => k.keyId));
    for (const key of keys) {
      const found = lookup(key.keyId);
      expect(found.status === 'available' && found.key.key.export()).toEqual(key.key.export());
    }
  });

  it('refuses another KEK at open with an error naming the settings, and a row that does not unwrap', async () => {
    const store = openStore();
    const key = await store.keyFor(SEIZURE, SUBJECTS.seizedFrom);
    await store.close();

    expect(() => openStore(givenKek())).toThrow(KeyEncryptionKeyMismatchError);
    expect(() => openStore(givenKek())).toThrow(
      /another key-encryption key than the one from PERSONAL_DATA_KEK; set PERSONAL_DATA_KEK or PERSONAL_DATA_KEK_FILE/,
    );

    const raw = new BetterSqlite3(join(dir, KEY_STORE_FILENAME));
    raw.prepare('UPDATE subject_keys SET wrapped_key = ? WHERE key_id = ?').run(randomBytes(60), key.keyId);
    raw.close();
    const reopened = openStore();
    await expect(reopened.lookup([key.keyId])).rejects.toThrow(
      /does not unwrap with the key-encryption key from the generated .*PERSONAL_DATA_KEK_FILE/,
    );
    await expect(reopened.keyFor(SEIZURE, SUBJECTS.seizedFrom)).rejects.toThrow(KeyEncryptionKeyMismatchError);
  });

  it('erases by destroying the key: reveal gives "erased" with the tombstone, the other subjects stay readable', async () => {
    const store = openStore();
    const eventId = randomUUID();
    const data = { seizedFrom: { name: 'Mohan Lal' }, witnesses: [{ name: 'Ramesh' }, { name: 'Sita' }] };
    const keys = new Map<string, SubjectKey>([
      ['/seizedFrom', await store.keyFor(SEIZURE, SUBJECTS.seizedFrom)],
      ['/witnesses/0', await store.keyFor(SEIZURE, SUBJECTS.witness(1))],
      ['/witnesses/1', await store.keyFor(SEIZURE, SUBJECTS.witness(2))],
    ]);
    const { sealedData, envelopes } = sealFields(eventId, data, [...keys.keys()], (path) => keys.get(path)!);
    await store.markUsed(keyIdsOf(envelopes));

    clock.advance(24 * HOUR);
    const tombstone = await store.destroy(SEIZURE, SUBJECTS.witness(1));
    const expected = {
      keyId: keys.get('/witnesses/0')!.keyId,
      seizureId: SEIZURE,
      subject: 'witness-1',
      createdAt: '2024-04-19T05:30:00.000Z',
      destroyedAt: '2024-04-20T05:30:00.000Z',
      reason: 'erased',
    };
    expect(tombstone).toEqual(expected);
    expect(await store.destroy(SEIZURE, SUBJECTS.witness(1))).toBeUndefined();
    expect(await store.tombstonesOf(SEIZURE)).toEqual([expected]);

    const revealed = revealFields(eventId, sealedData, envelopes, await store.lookup(keyIdsOf(envelopes)));
    expect(revealed.data).toEqual({
      seizedFrom: { name: 'Mohan Lal' },
      witnesses: [{ erased: true, sealed: expect.stringMatching(/^sha256:/), erasedAt: '2024-04-20T05:30:00.000Z' }, { name: 'Sita' }],
    });
    expect(revealed.fields.map((f) => f.status)).toEqual(['revealed', 'erased', 'revealed']);
    expect(revealed.fields[1]).toMatchObject({ status: 'erased', tombstone: expected });

    // A later event about the same subject gets a new key; the erased data stays erased.
    const fresh = await store.keyFor(SEIZURE, SUBJECTS.witness(1));
    expect(fresh.keyId).not.toBe(expected.keyId);
    expect((await store.lookup([expected.keyId]))(expected.keyId).status).toBe('erased');
  });

  it('carries out a recorded erasure on the keys it lists only: a newer key of the subject stays, and the tombstone names the erasure', async () => {
    const store = openStore();
    const first = await store.keyFor(SEIZURE, SUBJECTS.freeText);
    await store.markUsed([first.keyId]);
    const order = { eventId: 'e-erasure', orderReference: 'DEO/VNS/DPDP/2024/7', keyIds: [first.keyId] };
    expect(await store.destroy(SEIZURE, SUBJECTS.freeText, order)).toMatchObject({
      keyId: first.keyId,
      erasure: { eventId: 'e-erasure', orderReference: 'DEO/VNS/DPDP/2024/7' },
    });
    // Free text written after the erasure gets a new key; carrying the erasure out again leaves it.
    const later = await store.keyFor(SEIZURE, SUBJECTS.freeText);
    expect(later.keyId).not.toBe(first.keyId);
    expect(await store.destroy(SEIZURE, SUBJECTS.freeText, order)).toBeUndefined();
    expect((await store.lookup([later.keyId]))(later.keyId).status).toBe('available');
    expect((await store.lookup([first.keyId]))(first.keyId)).toMatchObject({
      status: 'erased',
      tombstone: { erasure: { eventId: 'e-erasure' } },
    });
  });

  it('says an erasure is incomplete while another connection pins the WAL, and finishes it on retry', async () => {
    const store = SqliteKeyStore.open({ filename: join(dir, KEY_STORE_FILENAME), kek, clock, busyTimeoutMs: 20 });
    open.push(store);
    const key = await store.keyFor(SEIZURE, SUBJECTS.witness(1));
    const reader = new BetterSqlite3(join(dir, KEY_STORE_FILENAME), { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM subject_keys').get(); // holds a snapshot in which the key still exists

    const erasure = store.destroy(SEIZURE, SUBJECTS.witness(1));
    await expect(erasure).rejects.toThrow(ErasureIncompleteError);
    await expect(erasure).rejects.toMatchObject({ tombstone: { keyId: key.keyId, reason: 'erased' } });
    expect((await store.lookup([key.keyId]))(key.keyId).status).toBe('erased');

    reader.exec('COMMIT');
    reader.close();
    expect(await store.destroy(SEIZURE, SUBJECTS.witness(1))).toBeUndefined();
    expect(statSync(join(dir, `${KEY_STORE_FILENAME}-wal`)).size).toBe(0);
  });

  it('collects keys no event used after the grace period, but not those an envelope refers to or a command holds', async () => {
    const store = openStore();
    const used = await store.keyFor(SEIZURE, SUBJECTS.seizedFrom);
    const appendedButUnmarked = await store.keyFor(SEIZURE, SUBJECTS.witness(1));
    const abandoned = await store.keyFor(SEIZURE, SUBJECTS.witness(2));
    const reissued = await store.keyFor(SEIZURE, SUBJECTS.freeText);
    await store.markUsed([used.keyId]);
    clock.advance(2 * HOUR);
    await store.keyFor(SEIZURE, SUBJECTS.freeText); // handed out again for a command now running
    const recent = await store.keyFor('SZ-OTHER', SUBJECTS.seizedFrom);

    const asked: string[][] = [];
    const collected = await store.collectUnused(new Date(Date.parse(clock.now()) - HOUR).toISOString(), (ids) => {
      asked.push([...ids]);
      return Promise.resolve(new Set([appendedButUnmarked.keyId]));
    });

    expect(asked).toEqual([[appendedButUnmarked.keyId, abandoned.keyId]]);
    expect(collected).toEqual([expect.objectContaining({ keyId: abandoned.keyId, subject: 'witness-2', reason: 'unused' })]);
    const lookup = await store.lookup([used, appendedButUnmarked, abandoned, reissued, recent].map((k) => k.keyId));
    expect([used, appendedButUnmarked, abandoned, reissued, recent].map((k) => lookup(k.keyId).status)).toEqual([
      'available',
      'available',
      'erased',
      'available',
      'available',
    ]);
    // The one an envelope refers to is now marked used and never collected.
    clock.advance(48 * HOUR);
    expect(await store.collectUnused(clock.now(), () => Promise.resolve(new Set<string>()))).toEqual([
      expect.objectContaining({ keyId: reissued.keyId }),
      expect.objectContaining({ keyId: recent.keyId }),
    ]);
  });

  it('creates the key file, its WAL and the generated KEK with mode 0600 even under umask 000', async () => {
    const previous = process.umask(0);
    try {
      const data = join(dir, 'fresh');
      const config: AppConfig = { ...CONFIG_DEFAULTS, auth: testAuthConfig(), dataDir: data };
      const store = createKeyStore(config, clock);
      await store.keyFor(SEIZURE, SUBJECTS.seizedFrom);
      const modes = Object.fromEntries(readdirSync(data).map((name) => [name, (statSync(join(data, name)).mode & 0o777).toString(8)]));
      await store.close();
      expect(modes).toEqual(
        expect.objectContaining({ [GENERATED_KEK_FILE]: '600', [KEY_STORE_FILENAME]: '600', [`${KEY_STORE_FILENAME}-wal`]: '600' }),
      );
      expect(Object.values(modes).every((mode) => mode === '600')).toBe(true);
    } finally {
      process.umask(previous);
    }
  });

  describe('byte-level search of the data dir after erasure', () => {
    const WITNESS = 'WITNESS-Ramesh-9876543210';
    const SEIZED_FROM = 'SEIZED-Mohan-9123456789';

    /** Every file under the data dir, whatever its name (database, -wal, -shm, -journal, envelopes, keys). */
    function filesUnder(root: string): string[] {
      return readdirSync(root, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? filesUnder(join(root, entry.name)) : [join(root, entry.name)],
      );
    }

    /** The files holding `needle` raw, in hex or in base64. */
    function filesHolding(needle: Buffer): string[] {
      const forms = [needle, Buffer.from(needle.toString('hex')), Buffer.from(needle.toString('base64').replace(/=+$/, ''))];
      return filesUnder(dir).filter((file) => {
        const bytes = readFileSync(file);
        return forms.some((form) => bytes.includes(form));
      });
    }

    it('finds no clear value, salt, key or wrapped key of the erased witness anywhere', async () => {
      const store = openStore();
      const ledger = SqliteEventStore.open({ filename: join(dir, 'ledger.sqlite'), clock });
      try {
        const eventId = randomUUID();
        const data: JsonValue = { memoNumber: 'FS/VNS/117', seizedFrom: { name: SEIZED_FROM }, witnesses: [{ name: WITNESS }] };
        const seizedFrom = await store.keyFor(SEIZURE, SUBJECTS.seizedFrom);
        const witness = await store.keyFor(SEIZURE, SUBJECTS.witness(1));
        const { sealedData, envelopes } = sealFields(eventId, data, ['/seizedFrom', '/witnesses/0'], (path) =>
          path === '/seizedFrom' ? seizedFrom : witness,
        );
        await ledger.appendToStream(`seizure-${SEIZURE}`, [{ id: eventId, type: 'SeizureRecorded', data: sealedData }]);
        writeFileSync(join(dir, 'envelopes.json'), serializeEnvelopes(envelopes), { mode: 0o600 });
        await store.markUsed(keyIdsOf(envelopes));

        const before = revealFields(eventId, sealedData, envelopes, await store.lookup(keyIdsOf(envelopes)));
        expect(before.data).toEqual(data);
        const salt = before.fields[1].status === 'revealed' ? Buffer.from(before.fields[1].salt) : Buffer.alloc(0);
        expect(salt).toHaveLength(32);
        const raw = new BetterSqlite3(join(dir, KEY_STORE_FILENAME), { readonly: true });
        const wrapped = raw.prepare('SELECT wrapped_key FROM subject_keys WHERE key_id = ?').pluck().get(witness.keyId) as Buffer;
        raw.close();
        const rawKey = witness.key.export();

        // Positive control: the wrapped key is in the key file or its WAL, so the search can fail.
        expect(filesHolding(wrapped).filter((f) => f.includes(KEY_STORE_FILENAME))).not.toEqual([]);

        await store.destroy(SEIZURE, SUBJECTS.witness(1));

        const searched = filesUnder(dir).map((f) => f.slice(dir.length + 1));
        expect(searched).toEqual(expect.arrayContaining([KEY_STORE_FILENAME, 'ledger.sqlite', 'envelopes.json', GENERATED_KEK_FILE]));
        expect({
          clearValue: filesHolding(Buffer.from(WITNESS, 'utf8')),
          salt: filesHolding(salt),
          rawKey: filesHolding(rawKey),
          wrappedKey: filesHolding(wrapped),
        }).toEqual({ clearValue: [], salt: [], rawKey: [], wrappedKey: [] });
        expect(statSync(join(dir, `${KEY_STORE_FILENAME}-wal`)).size).toBe(0);

        // The log, its hashes and the other subject are intact; the witness reads as erased.
        expect((await ledger.verifyAll()).ok).toBe(true);
        const stored = parseEnvelopes(readFileSync(join(dir, 'envelopes.json'), 'utf8'));
        const after = revealFields(eventId, sealedData, stored, await store.lookup(keyIdsOf(stored)));
        expect(after.fields.map((f) => f.status)).toEqual(['revealed', 'erased']);
        expect(after.data).toMatchObject({ seizedFrom: { name: SEIZED_FROM }, witnesses: [{ erased: true }] });
      } finally {
        await ledger.close();
      }
    });
  });
});
