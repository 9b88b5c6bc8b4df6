import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readLegacyEvents, writeLegacyLedger } from '../../scripts/legacy-ledger/write-legacy-ledger';
import { verifyStoreCommand } from '../../src/cli/commands/verify-store.command';
import { verifyEvidenceBundle } from '../../src/evidence/verify/bundle.verify';
import type { Actor } from '../../src/shared/actor';
import { actors } from '../support/custody-fixtures';
import { startE2eApp, type E2eApp } from '../support/e2e-app';
import { rawBytes } from '../support/binary-body';
import { pdfText } from '../support/pdf-reader';

/**
 * A ledger written by the release before the input rules were tightened (see
 * test/fixtures/legacy-ledger): events that today's rules refuse, stored for ever. The new server
 * must start on it, project all of it, show every such event as recorded under older rules, and
 * still prove every event.
 */
const events = readLegacyEvents();
const seizureIds = [...new Set(events.filter((e) => e.type === 'SeizureRecorded').map((e) => e.streamName.slice('seizure-'.length)))];
const idOf = (n: number) => seizureIds.find((id) => id.endsWith(String(n).padStart(12, '0'))) as string;
const NO_ELECTION = idOf(2);
const STRING_LATITUDE = idOf(6);
const NUL_IN_NAME = idOf(43);
const NO_LOCATION = idOf(15);

/** Sees every seizure, wherever recorded (also those whose state was never recorded), and personal data. */
const nationalOfficer: Actor = {
  sub: 'u-eci-obs',
  name: 'ECI Observer',
  roles: ['officer', 'court'],
  unit: 'ECI-OBS',
  agency: 'election_office',
  scope: { national: true },
};

describe('a ledger written under older rules (e2e, SQLite)', () => {
  let e2e: E2eApp;
  let dataDir: string;
  let lastPosition: number;
  const read = (path: string) =>
    e2e
      .http()
      .get(path)
      .set('Authorization', `Bearer ${e2e.tokenFor(nationalOfficer)}`);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-legacy-'));
    await writeLegacyLedger(dataDir);
    // After every poll date + 7 days: held-after-poll deadlines are due where a poll date is known.
    // One user reads every seizure several ways, over the default 600 a minute (which it once
    // escaped only because each second's fresh token opened a new budget); the limits have their own tests.
    e2e = await startE2eApp({
      env: {
        LEDGER_DATA_DIR: dataDir,
        TREE_HEAD_INTERVAL_SECONDS: '1',
        RATE_LIMIT_BURST_PER_SECOND: '100000',
        RATE_LIMIT_PER_MINUTE: '1000000',
      },
      clockStart: '2024-06-10T06:00:00.000Z',
    });
    // Today's rules go on from a legacy record: a new event, written in the current version, unmarked.
    await e2e
      .http()
      .post(`/seizures/${NO_ELECTION}/firs`)
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.flyingSquad)}`)
      .send({ firNumber: 'FIR-2/2024', policeStation: 'Cantt', registeredOn: '2024-06-09', sections: ['171B'] })
      .expect(200);
    lastPosition = await e2e.lastPosition();
    await waitForReadModels();
  });
  afterAll(async () => {
    await e2e?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function waitForReadModels(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const health = await e2e.http().get('/health');
      if (health.body.projector?.position >= lastPosition) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the projector did not catch up');
  }

  it('projects all of it: /health shows the projector caught up, no read model failed', async () => {
    expect(lastPosition).toBe(events.length + 1);
    const health = await e2e.http().get('/health').expect(200);
    expect(health.body.status).toBe('ok');
    expect(health.body.projector.position).toBe(lastPosition);
    expect(health.body.projector.failedReadModels).toBeUndefined();
    expect(health.body.projector.status).not.toBe('failed');
  });

  it('serves every seizure, each marked as recorded under older rules', async () => {
    for (const id of seizureIds) {
      const view = await read(`/seizures/${id}`).expect(200);
      expect(view.body.recordedUnderOlderRules.length).toBeGreaterThan(0);
      expect(view.body.recordedUnderOlderRules[0]).toMatchObject({
        type: 'SeizureRecorded',
        revision: 0,
        schemaVersion: 1,
        findings: expect.any(Array),
      });
    }
  });

  it('shows legacy values in the current shape, with explicit unknowns and findings that repeat no personal data', async () => {
    const noElection = (await read(`/seizures/${NO_ELECTION}`).expect(200)).body;
    expect(noElection.election).toEqual({ id: 'unknown', name: 'not recorded', pollDate: null });
    expect(noElection.recordedUnderOlderRules[0].findings).toEqual(['election was not recorded, read as not recorded']);
    // The FIR written today is not marked.
    expect(noElection.recordedUnderOlderRules.map((m: { type: string }) => m.type)).toEqual(['SeizureRecorded']);

    const latitude = (await read(`/seizures/${STRING_LATITUDE}`).expect(200)).body;
    expect(latitude.location).toMatchObject({ latitude: 25.3, longitude: 82.97 });
    expect(latitude.recordedUnderOlderRules[0].findings).toContain('location.latitude was the string "25.3", read as the number 25.3');

    const nul = (await read(`/seizures/${NUL_IN_NAME}`).expect(200)).body;
    expect(nul.seizedFrom.name).toBe('Ramesh\uFFFDChand');
    expect(nul.recordedUnderOlderRules[0].findings).toContain('seizedFrom.name held a NUL character, shown as U+FFFD');
    expect(JSON.stringify(nul.recordedUnderOlderRules)).not.toMatch(/Ramesh|Sigra/);

    const noLocation = (await read(`/seizures/${NO_LOCATION}`).expect(200)).body;
    expect(noLocation.location).toMatchObject({ state: 'unknown', district: 'unknown', latitude: null, longitude: null });
  });

  it('marks the raw trail beside the stored data, and the custody timeline', async () => {
    const trail = (await read(`/seizures/${idOf(30)}/events`).expect(200)).body.events;
    expect(trail.length).toBeGreaterThan(5);
    for (const entry of trail)
      expect(entry.recordedUnderOlderRules).toMatchObject({ schemaVersion: entry.type === 'CustodyTransferAccepted' ? 2 : 1 });
    const accepted = trail.find((e: { type: string }) => e.type === 'CustodyTransferAccepted');
    // The stored bytes are shown as stored; the mark says how they are read.
    expect(accepted.data.seals).toEqual([[]]);
    expect(accepted.recordedUnderOlderRules.findings).toEqual(['seals[0] was an empty list, left out']);

    const fresh = (await read(`/seizures/${NO_ELECTION}/events`).expect(200)).body.events;
    expect(fresh.map((e: { recordedUnderOlderRules: unknown }) => e.recordedUnderOlderRules === null)).toEqual([false, true]);

    for (const id of seizureIds) {
      const timeline = (await read(`/seizures/${id}/timeline`).expect(200)).body;
      expect(timeline.events[0].recordedUnderOlderRules).toMatchObject({ schemaVersion: 1 });
      await read(`/seizures/${id}/custody-history`).expect(200);
    }
  });

  it('includes them in search, the statement and the deadline watch', async () => {
    const search = (await read('/seizures?limit=200').expect(200)).body;
    expect(search.items.map((h: { seizureId: string }) => h.seizureId).sort()).toEqual([...seizureIds].sort());
    expect(search.items.find((h: { seizureId: string }) => h.seizureId === NO_ELECTION).election).toEqual({
      id: 'unknown',
      pollDate: null,
    });

    const statement = (await read('/statements/seizures?date=2024-04-19&groupBy=district').expect(200)).body;
    expect(statement.total.cumulative.seizures).toBe(seizureIds.length);
    expect(statement.rows.map((r: { state: string }) => r.state)).toContain('unknown');

    const deadlines = (await read('/deadlines').expect(200)).body.deadlines as Array<{ kind: string; seizureId: string }>;
    const kindsOf = (id: string) => deadlines.filter((d) => d.seizureId === id).map((d) => d.kind);
    // No poll date, no release deadline counted from it; the Income Tax referral is still watched.
    expect(kindsOf(NO_ELECTION)).toEqual(['income_tax_referral']);
    expect(kindsOf(STRING_LATITUDE).sort()).toEqual(['held_after_poll', 'income_tax_referral']);
  });

  it('has every event in the Merkle log, and verify-store passes', async () => {
    let head = (await read('/evidence/tree-heads/latest')).body;
    for (let i = 0; i < 100 && head?.treeSize !== lastPosition; i++) {
      await new Promise((r) => setTimeout(r, 50));
      head = (await read('/evidence/tree-heads/latest')).body;
    }
    expect(head.treeSize).toBe(lastPosition);

    const out: string[] = [];
    const io = {
      env: { LEDGER_DATA_DIR: dataDir },
      cwd: resolve(__dirname, '../..'),
      stdout: (t: string) => out.push(t),
      stderr: () => undefined,
    };
    expect(await verifyStoreCommand.run([], io)).toBe(0);
    const report = out.join('\n');
    expect(report).toContain(`chain: OK — ${lastPosition} events in ${seizureIds.length} streams hash-linked`);
    // The old data dir's heads are checked too: the log still reproduces every root they signed.
    expect(report).toMatch(/^heads in data dir: OK — \d+ heads? checked/m);
    expect(report).toMatch(/^OK: sqlite store: every check holds$/m);
  });

  it("serves each seizure's evidence bundle, marked, and it verifies with the project's verifier", async () => {
    const key = await read('/evidence/public-key').expect(200);
    const publicKey = Uint8Array.from(Buffer.from(key.body.publicKey, 'base64'));
    for (const id of seizureIds) {
      const bundle = (await read(`/seizures/${id}/evidence`).expect(200)).body;
      const report = verifyEvidenceBundle(bundle, { publicKey });
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
      expect(bundle.events[0].recordedUnderOlderRules).toMatchObject({ schemaVersion: 1 });
    }
    const pdf = await read(`/seizures/${NO_ELECTION}/evidence?format=pdf`).buffer(true).parse(rawBytes).expect(200);
    // The printout says so too.
    const file = join(dataDir, 'no-election.pdf');
    writeFileSync(file, pdf.body as Buffer);
    const text = pdfText(file);
    expect(text).toContain('Recorded under older rules (schema version 1): election was not recorded');
    expect(text).toContain('Election: not recorded');
  });
});
