import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { fuzzSettings } from '../../../../../test/support/fuzz/fuzz-settings';
import { filesHolding, withSidecars } from '../../../../../test/support/marker-scan';
import { loadKek } from '../../../../sealing/kek-source';
import { SqliteKeyStore } from '../../../../sealing/sqlite/sqlite-key-store';
import { SUBJECTS } from '../../../../sealing/subjects';
import { FixedClock } from '../../../../shared/clock';
import { SqliteStoredBundleStore } from './sqlite-stored-bundle-store';
import { openStoredBundle, sealStoredBundle } from '../stored-bundle-sealing';
import { STORED_BUNDLES_FILENAME } from '../stored-bundles.module';

const fuzz = fuzzSettings('FUZZ_RUNS', { seed: 20261208, count: 25 });
const SEIZURE = '3f1c2b9e-7d4a-4e21-9a55-0c1e2d3f4a5b';
const ISSUED_AT = '2024-04-20T06:00:00.000Z';

/** A bundle as served, holding one person's opened name (the marker) with its salt, in events and in the custody section. */
function bundleBytes(marker: string, salt: string, extra: unknown = null): { hash: string; bytes: Buffer } {
  const hash = randomBytes(32).toString('hex');
  const bundle = {
    format: 'seizure-ledger-evidence/2',
    seizureId: SEIZURE,
    events: [
      { id: 'e-1', data: { seizedFrom: { sealed: 'sha256:00' } }, revealed: [{ fieldPath: '/seizedFrom', value: { name: marker }, salt }] },
    ],
    custodyHistory: { transfersNeverAccepted: [{ reason: marker }] },
    extra,
    bundleHash: hash,
  };
  return { hash, bytes: Buffer.from(JSON.stringify(bundle), 'utf8') };
}

describe('SqliteStoredBundleStore with the key store (real SQLite files)', () => {
  let dir: string;
  let keys: SqliteKeyStore;
  let bundles: SqliteStoredBundleStore;
  const file = () => join(dir, STORED_BUNDLES_FILENAME);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-bundles-'));
    keys = SqliteKeyStore.open({ filename: join(dir, 'keys.sqlite'), kek: loadKek({}, dir), clock: new FixedClock(ISSUED_AT) });
    bundles = SqliteStoredBundleStore.open(file());
  });
  afterEach(async () => {
    await bundles.close();
    await keys.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives back every bundle byte for byte, and keeps no opened value or salt in clear in its file, WAL included', async () => {
    const person = await keys.keyFor(SEIZURE, SUBJECTS.seizedFrom);
    const freeText = await keys.keyFor(SEIZURE, SUBJECTS.freeText);
    const secrets: string[] = [];
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.string({ unit: 'grapheme' }), async (extra, name) => {
        const marker = `PDMARK-${secrets.length} ${name}`;
        const salt = randomBytes(32).toString('base64');
        secrets.push(marker, salt);
        const { hash, bytes } = bundleBytes(marker, salt, extra);
        await bundles.put({
          form: sealStoredBundle({ bundleHash: hash, seizureId: SEIZURE }, bytes, [person, freeText]),
          issuedAt: ISSUED_AT,
        });

        const record = await bundles.get(hash);
        const opened = record && openStoredBundle(record.form, await keys.lookup(record.form.shares.map((s) => s.keyId)));

        expect(record?.issuedAt).toBe(ISSUED_AT);
        expect(opened?.status === 'opened' && opened.bytes.equals(bytes)).toBe(true);
      }),
      { seed: fuzz.seed, numRuns: fuzz.count, verbose: fuzz.verbose },
    );

    const files = withSidecars(file());
    expect(statSync(`${file()}-wal`).size).toBeGreaterThan(0);
    // The scan can fail: what is not personal (the seizure id) is there in clear.
    expect(filesHolding(SEIZURE, files)).not.toEqual([]);
    expect(secrets.filter((secret) => filesHolding(secret, files).length > 0)).toEqual([]);
    for (const path of files) expect([path, statSync(path).mode & 0o777]).toEqual([path, 0o600]);
  });

  it('keeps the first of two bundles with one hash, and answers nothing for a hash never stored', async () => {
    const first = bundleBytes('PDMARK-a', 'c2FsdA==');
    const form = sealStoredBundle({ bundleHash: first.hash, seizureId: SEIZURE }, first.bytes, []);
    await bundles.put({ form, issuedAt: ISSUED_AT });
    await bundles.put({
      form: sealStoredBundle({ bundleHash: first.hash, seizureId: SEIZURE }, Buffer.from('{}'), []),
      issuedAt: '2025-01-01T00:00:00.000Z',
    });

    const record = await bundles.get(first.hash);
    expect(record?.issuedAt).toBe(ISSUED_AT);
    expect(record && openStoredBundle(record.form, () => ({ status: 'unknown' }))).toEqual({ status: 'opened', bytes: first.bytes });
    expect(await bundles.get('0'.repeat(64))).toBeUndefined();
  });

  it('cannot give a bundle back once a person whose data it opened is erased, and names the erasure', async () => {
    const person = await keys.keyFor(SEIZURE, SUBJECTS.seizedFrom);
    const witness = await keys.keyFor(SEIZURE, SUBJECTS.witness(1));
    const { hash, bytes } = bundleBytes('PDMARK-erased', 'c2FsdA==');
    await bundles.put({ form: sealStoredBundle({ bundleHash: hash, seizureId: SEIZURE }, bytes, [person, witness]), issuedAt: ISSUED_AT });

    await keys.destroy(SEIZURE, SUBJECTS.witness(1), { eventId: 'e-erasure', orderReference: 'DGC/VNS/2024/9', keyIds: [witness.keyId] });
    const record = await bundles.get(hash);
    const opened = record && openStoredBundle(record.form, await keys.lookup(record.form.shares.map((s) => s.keyId)));

    expect(opened).toEqual({
      status: 'keys-gone',
      gone: [
        {
          keyId: witness.keyId,
          tombstone: expect.objectContaining({ subject: 'witness-1', erasure: { eventId: 'e-erasure', orderReference: 'DGC/VNS/2024/9' } }),
        },
      ],
    });
  });
});
