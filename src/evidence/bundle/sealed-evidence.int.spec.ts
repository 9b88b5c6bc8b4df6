import { createSecretKey, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handleSeizureCommand, loadSeizure } from '../../custody/handle-command';
import { KeyStoreSealing } from '../../custody/sealing/personal-data-sealing';
import { openedFieldsOf } from '../../custody/sealing/revealed-fields';
import { SqliteEventStore } from '../../ledger/sqlite/sqlite-event-store';
import { SqliteKeyStore } from '../../sealing/sqlite/sqlite-key-store';
import { SUBJECTS } from '../../sealing/subjects';
import { FixedClock } from '../../shared/clock';
import { NOW, SEIZURE_ID, actors, recordSeizureCommand } from '../../../test/support/custody-fixtures';
import { computeBundleHash, verifyEvidenceBundle } from '../verify/bundle.verify';
import { bundleFromStore, clone } from './bundle.test-support';
import { EVIDENCE_BUNDLE_FORMAT } from './evidence-bundle';
import { renderEvidenceBundlePdf } from './evidence-bundle.pdf';
import { pdfText } from '../../../test/support/pdf-reader';

describe('evidence bundles of sealed events: opened values with their salts, checked against the commitments', () => {
  let dir: string;
  let store: SqliteEventStore;
  let keys: SqliteKeyStore;
  let sealing: KeyStoreSealing;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-sealed-evidence-'));
    const clock = new FixedClock(NOW);
    store = SqliteEventStore.open({ filename: join(dir, 'ledger.sqlite'), clock });
    const kek = { kek: createSecretKey(randomBytes(32)), source: 'PERSONAL_DATA_KEK', created: false } as const;
    keys = SqliteKeyStore.open({ filename: join(dir, 'personal-data-keys.sqlite'), kek, clock });
    sealing = new KeyStoreSealing(keys);
    await handleSeizureCommand(store, SEIZURE_ID, recordSeizureCommand(), { actor: actors.flyingSquad, now: NOW }, { sealing });
  });
  afterEach(async () => {
    await store.close();
    await keys.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function sealedBundle() {
    const { events, reveals } = await loadSeizure(store, SEIZURE_ID, sealing);
    return (await bundleFromStore(store, SEIZURE_ID, NOW, openedFieldsOf(events, reveals))).bundle;
  }

  it('carries each sealed value with its salt beside the sealed event, in format 2, and verifies', async () => {
    const bundle = await sealedBundle();
    expect(bundle.format).toBe(EVIDENCE_BUNDLE_FORMAT);
    const [recorded] = bundle.events;
    expect((recorded.data as { seizedFrom: unknown }).seizedFrom).toEqual({ sealed: expect.stringMatching(/^sha256:/) });
    expect(recorded.revealed?.find((r) => r.fieldPath === '/seizedFrom')).toEqual({
      fieldPath: '/seizedFrom',
      value: recordSeizureCommand().data.seizedFrom,
      salt: expect.any(String),
    });
    const report = verifyEvidenceBundle(bundle);
    expect(report.ok).toBe(true);
    expect(report.checks.find((c) => c.check === 'revealed-values')).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/^3 opened/),
    });
  });

  it('prints the opened values in the PDF, not the commitments', async () => {
    const file = join(dir, 'bundle.pdf');
    writeFileSync(file, await renderEvidenceBundlePdf(await sealedBundle()));
    const text = pdfText(file).normalize('NFC');
    expect(text).toContain(recordSeizureCommand().data.seizedFrom.name);
    expect(text).not.toMatch(/sha256:[0-9a-f]{8}/);
  });

  it('refuses a value changed in the bundle, even with the bundle hash recomputed', async () => {
    const bundle = clone(await sealedBundle());
    const field = bundle.events[0].revealed!.find((r) => r.fieldPath === '/witnesses/0') as unknown as { value: { name: string } };
    field.value.name = 'Someone else';
    bundle.bundleHash = computeBundleHash(bundle);
    bundle.certificate.partA.hashValue = bundle.bundleHash;
    const report = verifyEvidenceBundle(bundle);
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.check === 'revealed-values')).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/"\/witnesses\/0": the value given does not match its commitment/),
    });
  });

  it('marks an erased subject as erased, with no value, and still verifies', async () => {
    await keys.destroy(SEIZURE_ID, SUBJECTS.seizedFrom);
    const bundle = await sealedBundle();
    expect(bundle.events[0].revealed?.find((r) => r.fieldPath === '/seizedFrom')).toEqual({
      fieldPath: '/seizedFrom',
      erased: true,
      erasedAt: expect.any(String),
    });
    expect(JSON.stringify(bundle)).not.toContain(recordSeizureCommand().data.seizedFrom.phone);
    const report = verifyEvidenceBundle(bundle);
    expect(report.ok).toBe(true);
    expect(report.checks.find((c) => c.check === 'revealed-values')?.detail).toMatch(/2 opened .*; 1 erased/);
  });

  it('gives bundles without opened values no such check, as before', async () => {
    const { bundle } = await bundleFromStore(store, SEIZURE_ID, NOW);
    const report = verifyEvidenceBundle(bundle);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.check)).not.toContain('revealed-values');
  });
});
