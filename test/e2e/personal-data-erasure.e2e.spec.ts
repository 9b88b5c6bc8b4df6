import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Actor } from '../../src/shared/actor';
import { PERSONAL_DATA_KEY_STORE, type PersonalDataKeyStore } from '../../src/sealing/key-store';
import { parseEnvelopes } from '../../src/sealing/envelope';
import { verifyEvidenceBundle } from '../../src/evidence/verify/bundle.verify';
import type { EvidenceBundle } from '../../src/evidence/bundle/evidence-bundle.format';
import { actors, recordSeizureCommand } from '../support/custody-fixtures';
import { startE2eApp, type E2eApp } from '../support/e2e-app';
import { runCliWith } from '../support/cli-process';

jest.setTimeout(120_000);

const PROBLEM_JSON = /^application\/problem\+json/;
// Markers standing for what the persons' data would be: the scans look for their bytes.
const WITNESS_1 = 'Witness-One-Marker-7f3a91';
const WITNESS_2 = 'Witness-Two-Marker-c2e814';
const SEIZED_FROM = 'Seized-From-Marker-41bd0e';
const COURT_ORDER = { court: 'CJM Varanasi', orderNumber: 'Misc 12/2024', orderedOn: '2024-04-20' };
const ERASURE = { subjects: ['witness-1'], legalBasis: 'court_order', orderReference: 'DEO/VNS/DPDP/2024/7', courtOrder: COURT_ORDER };

/** Every file under a folder, sidecars (-wal, -shm, -journal) included: whatever SQLite or we left there. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The files under a folder that hold these bytes anywhere. */
const filesHoldingBytes = (dir: string, needle: Buffer): string[] =>
  filesUnder(dir).filter((path) => {
    try {
      return readFileSync(path).includes(needle);
    } catch {
      return false;
    }
  });

/**
 * Erasure over HTTP on the real SQLite store: a witness's data goes while the seized person's
 * stays; every proof still verifies; nothing in the data dir can bring the value back.
 */
describe('personal data erasure (e2e, SQLite)', () => {
  let e2e: E2eApp;
  let dataDir: string;
  let appClosed = false;
  const seizureId = randomUUID();
  const at = (path = '') => `/seizures/${seizureId}${path}`;
  const post = (path: string, actor: Actor, body: object) =>
    e2e
      .http()
      .post(path)
      .set('Authorization', `Bearer ${e2e.tokenFor(actor)}`)
      .send(body);
  const get = (path: string, actor: Actor) =>
    e2e
      .http()
      .get(path)
      .set('Authorization', `Bearer ${e2e.tokenFor(actor)}`);

  // What is known of witness 1 before the erasure: the bundle a court holds, the salt, the key.
  let bundleBefore: EvidenceBundle;
  let salt: Buffer;
  let key: Buffer;
  let wrappedKey: Buffer;
  let afterErasure: EvidenceBundle;

  beforeAll(async () => {
    e2e = await startE2eApp();
    dataDir = e2e.config.dataDir;
    const record = recordSeizureCommand({ seizureId }).data;
    await post('/seizures', actors.flyingSquad, {
      ...record,
      seizedFrom: { ...record.seizedFrom, name: SEIZED_FROM },
      witnesses: [
        { name: WITNESS_1, address: 'Cantt, Varanasi' },
        { name: WITNESS_2, address: 'Lahurabir, Varanasi' },
      ],
    }).expect(201);
    e2e.clock.advance(60_000);
    bundleBefore = (await get(at('/evidence'), actors.court).expect(200)).body as EvidenceBundle;
    const recorded = bundleBefore.events[0];
    const opened = (recorded.revealed ?? []).find((f) => f.fieldPath === '/witnesses/0');
    if (!opened || !('salt' in opened)) throw new Error('the bundle does not open witness 1');
    salt = Buffer.from(opened.salt, 'base64');
    const [stored] = await e2e.store.readStream(`seizure-${seizureId}`);
    const keyId = parseEnvelopes(stored.envelopes as string).find((e) => e.fieldPath === '/witnesses/0')?.keyId as string;
    const keys = e2e.app.get<PersonalDataKeyStore>(PERSONAL_DATA_KEY_STORE);
    const found = (await keys.lookup([keyId]))(keyId);
    if (found.status !== 'available') throw new Error('witness 1 has no key');
    key = found.key.key.export();
    const db = new Database(join(dataDir, 'personal-data-keys.sqlite'), { readonly: true, fileMustExist: true });
    try {
      wrappedKey = (db.prepare('SELECT wrapped_key FROM subject_keys WHERE key_id = ?').get(keyId) as { wrapped_key: Buffer }).wrapped_key;
    } finally {
      db.close();
    }
  });

  afterAll(async () => {
    if (!appClosed) await e2e.app.close();
    rmSync(dirname(dataDir), { recursive: true, force: true });
  });

  it('before the erasure, the scan can find what it looks for: the wrapped key sits in the key store', () => {
    expect(filesHoldingBytes(dataDir, wrappedKey).map((f) => f.slice(dataDir.length))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\/personal-data-keys\.sqlite/)]),
    );
  });

  it('is refused while items are held, without a court order, and changes nothing', async () => {
    const before = await e2e.lastPosition();
    const res = await post(at('/personal-data-erasures'), actors.admin, { ...ERASURE, legalBasis: 'purpose_served', courtOrder: null });
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body.type).toMatch(/personal-data-still-needed$/);
    expect(res.body.detail).toMatch(/still held/);
    expect(await e2e.lastPosition()).toBe(before);
  });

  it.each([
    ['an officer', actors.flyingSquad],
    ['a custodian', actors.malkhana],
    ['a treasury', actors.treasuryOfficer],
    ['the committee', actors.committee],
    ['an auditor', actors.auditor],
  ])('%s may not erase (403)', async (_, actor) => {
    const res = await post(at('/personal-data-erasures'), actor, ERASURE);
    expect(res.status).toBe(403);
  });

  it('bad input is a 400 naming the field, and changes nothing', async () => {
    const before = await e2e.lastPosition();
    const res = await post(at('/personal-data-erasures'), actors.admin, { ...ERASURE, subjects: ['Mohan Lal'] });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/subjects/);
    expect(JSON.stringify(res.body)).not.toMatch(/Mohan Lal/);
    expect(await e2e.lastPosition()).toBe(before);
  });

  it("erases witness 1 under a court order; witness 2's and the seized person's data stay", async () => {
    const res = await post(at('/personal-data-erasures'), actors.admin, ERASURE).expect(200);
    expect(res.body).toMatchObject({ events: [{ type: 'PersonalDataErased' }], shredding: 'done' });
    const erasureEventId = res.body.events[0].eventId as string;

    const view = (await get(at(), actors.flyingSquad).expect(200)).body;
    expect(view.witnesses[0]).toEqual({
      erased: true,
      sealed: expect.stringMatching(/^sha256:/),
      erasedAt: expect.any(String),
      erasureEventId,
      orderReference: ERASURE.orderReference,
    });
    expect(view.witnesses[1].name).toBe(WITNESS_2);
    expect(view.seizedFrom.name).toBe(SEIZED_FROM);
    expect(JSON.stringify(view)).not.toContain(WITNESS_1);

    const trail = (await get(at('/events'), actors.flyingSquad).expect(200)).body;
    expect(JSON.stringify(trail)).not.toContain(WITNESS_1);
    expect(JSON.stringify(trail)).toContain('PersonalDataErased');
  });

  it('a second identical erasure records nothing', async () => {
    const before = await e2e.lastPosition();
    const res = await post(at('/personal-data-erasures'), actors.admin, ERASURE).expect(200);
    expect(res.body.events).toEqual([]);
    expect(await e2e.lastPosition()).toBe(before);
  });

  it('the bundle issued before still verifies, witness 1 opened in it; a new bundle verifies and names the erasure', async () => {
    const before = verifyEvidenceBundle(bundleBefore);
    expect(before.checks.filter((c) => !c.ok)).toEqual([]);

    const after = (await get(at('/evidence'), actors.court).expect(200)).body as EvidenceBundle;
    const report = verifyEvidenceBundle(after);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(JSON.stringify(after)).not.toContain(WITNESS_1);
    expect(JSON.stringify(after)).toContain(WITNESS_2);
    const witness1 = after.events[0].revealed?.find((f) => f.fieldPath === '/witnesses/0');
    expect(witness1).toMatchObject({ erased: true, orderReference: ERASURE.orderReference });
    expect(after.events.map((e) => e.type)).toContain('PersonalDataErased');
    // The stored event is the same before and after: same hash, same commitment.
    expect(after.events[0].hash).toBe(bundleBefore.events[0].hash);
    afterErasure = after;
  });

  it('the verifier refuses an erasure notice the bundle does not explain', () => {
    const revealedCheck = (bundle: EvidenceBundle) => verifyEvidenceBundle(bundle).checks.find((c) => c.check === 'revealed-values');
    const withoutErasure = structuredClone(afterErasure);
    withoutErasure.events = withoutErasure.events.filter((e) => e.type !== 'PersonalDataErased');
    expect(revealedCheck(withoutErasure)).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/the erasure it names \(.+\) is not in the bundle/),
    });

    const otherField = structuredClone(afterErasure);
    const notice = otherField.events[0].revealed?.find((f) => f.fieldPath === '/witnesses/0') as { fieldPath: string };
    const witness2 = otherField.events[0].revealed?.find((f) => f.fieldPath === '/witnesses/1');
    Object.assign(witness2 as object, { ...notice, fieldPath: '/witnesses/1', value: undefined, salt: undefined });
    expect(revealedCheck(otherField)).toMatchObject({ ok: false, detail: expect.stringMatching(/does not list this field/) });
  });

  it('nothing in the data dir holds the value, its salt, or its key, wrapped or not', async () => {
    const needles: Array<[string, Buffer]> = [
      ['the value', Buffer.from(WITNESS_1, 'utf8')],
      ['the salt', salt],
      ['the salt in base64', Buffer.from(salt.toString('base64'), 'utf8')],
      ['the key', key],
      ['the wrapped key', wrappedKey],
    ];
    for (const [what, needle] of needles) expect({ what, files: filesHoldingBytes(dataDir, needle) }).toEqual({ what, files: [] });
  });

  it('after a stop: verify-store passes, and a rebuild of the read models brings none of it back', async () => {
    await e2e.app.close();
    appClosed = true;
    const verified = runCliWith({ LEDGER_DATA_DIR: dataDir }, 'verify-store');
    expect(verified.stderr).toBe('');
    expect(verified.status).toBe(0);
    const rebuilt = runCliWith({ LEDGER_DATA_DIR: dataDir }, 'rebuild', '--restart');
    expect(rebuilt.status).toBe(0);
    for (const needle of [Buffer.from(WITNESS_1, 'utf8'), salt, Buffer.from(salt.toString('base64'), 'utf8'), key, wrappedKey])
      expect(filesHoldingBytes(dataDir, needle)).toEqual([]);
  });
});
