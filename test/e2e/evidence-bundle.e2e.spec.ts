import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { verifyEvidenceBundle } from '../../src/evidence/verify/bundle.verify';
import { CASH, actors, custodians, recordSeizureCommand } from '../support/custody-fixtures';
import { startE2eApp, type E2eApp } from '../support/e2e-app';
import { rawBytes } from '../support/binary-body';
import { inspectPdf, pdfText } from '../support/pdf-reader';
import { FROM_SOURCES } from '../support/cli-process';

/**
 * A court downloads a seizure's evidence bundle over HTTP and checks it offline — in-process and
 * with the CLI — against the ledger's published key; a tampered copy fails.
 */
describe('evidence bundle (e2e, SQLite)', () => {
  let e2e: E2eApp;
  let dir: string;
  const seizureId = randomUUID();

  beforeAll(async () => {
    e2e = await startE2eApp({ env: { TREE_HEAD_INTERVAL_SECONDS: '1' } });
    dir = mkdtempSync(join(tmpdir(), 'ledger-bundle-'));
    const as = (actor: (typeof actors)[keyof typeof actors]) => `Bearer ${e2e.tokenFor(actor)}`;
    await e2e
      .http()
      .post('/seizures')
      .set('Authorization', as(actors.flyingSquad))
      .send(recordSeizureCommand({ seizureId }).data)
      .expect(201);
    const transferId = randomUUID();
    await e2e
      .http()
      .post(`/seizures/${seizureId}/transfers`)
      .set('Authorization', as(actors.flyingSquad))
      .send({ transferId, itemIds: [CASH], to: custodians.treasury, sealNumbers: ['S-1001'], reason: 'deposit' })
      .expect(200);
    await e2e
      .http()
      .post(`/seizures/${seizureId}/transfers/${transferId}/accept`)
      .set('Authorization', as(actors.treasuryOfficer))
      .send({
        seals: [{ number: 'S-1001', condition: 'intact' }],
        countedQuantities: [{ itemId: CASH, quantity: 125_000_000 }],
        remarks: 'counted',
      })
      .expect(200);
  });
  afterAll(async () => {
    await e2e.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves a bundle that verifies against the published key, and catches a changed amount', async () => {
    const response = await e2e
      .http()
      .get(`/seizures/${seizureId}/evidence`)
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.court)}`)
      .expect(200);
    const bundle = response.body;
    expect(bundle.format).toBe('seizure-ledger-evidence/2');
    expect(bundle.events.map((e: { type: string }) => e.type)).toEqual([
      'SeizureRecorded',
      'CustodyTransferInitiated',
      'CustodyTransferAccepted',
    ]);
    expect(bundle.certificate.partA.hashAlgorithm).toBe('SHA-256');
    expect(bundle.certificate.partA.hashValue).toBe(bundle.bundleHash);
    expect(bundle.certificate.partA.dateTime).toMatch(/IST$/);
    expect(bundle.custodyHistory.items.find((i: { itemId: string }) => i.itemId === CASH).currentCustodian).toEqual(custodians.treasury);

    const key = await e2e.http().get('/evidence/public-key').expect(200);
    const publicKey = Uint8Array.from(Buffer.from(key.body.publicKey, 'base64'));
    const report = verifyEvidenceBundle(bundle, { publicKey });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ok).toBe(true);

    const tampered = JSON.parse(JSON.stringify(bundle));
    tampered.events[0].data.items[0].quantity = 100_000_000;
    const broken = verifyEvidenceBundle(tampered, { publicKey });
    expect(broken.ok).toBe(false);
    expect(broken.checks.find((c) => c.check === 'event-hashes')?.ok).toBe(false);

    // The offline command, as a court's expert would run it: no server, no network.
    const good = join(dir, 'bundle.json');
    const bad = join(dir, 'tampered.json');
    writeFileSync(good, JSON.stringify(bundle));
    writeFileSync(bad, JSON.stringify(tampered));
    const cli = (file: string) =>
      spawnSync(process.execPath, [...FROM_SOURCES, 'src/cli/main.ts', 'verify', file, '--public-key', key.body.publicKey], {
        cwd: resolve(__dirname, '../..'),
        encoding: 'utf8',
      });
    const ok = cli(good);
    expect({ status: ok.status, out: ok.stdout }).toEqual({ status: 0, out: expect.stringContaining('VERIFIED') });
    const refused = cli(bad);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain('NOT VERIFIED');
  }, 60_000);

  it('serves the print of one issued bundle with ?format=pdf: its bundleHash on the certificate, that JSON inside', async () => {
    const court = `Bearer ${e2e.tokenFor(actors.court)}`;
    const response = await e2e
      .http()
      .get(`/seizures/${seizureId}/evidence?format=pdf`)
      .set('Authorization', court)
      .buffer(true)
      .parse(rawBytes)
      .expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/pdf/);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="evidence-${seizureId}.pdf"`);
    const pdf = response.body as Buffer;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
    const issued = response.headers['x-evidence-bundle-hash'];
    expect(issued).toMatch(/^[0-9a-f]{64}$/);

    // The JSON of this issue travels inside the PDF; its hash is the one the certificate prints.
    const file = join(dir, 'issued.pdf');
    writeFileSync(file, pdf);
    const [attached] = inspectPdf(file).attachments;
    const json = JSON.parse(attached.content.toString('utf8'));
    expect(json.bundleHash).toBe(issued);
    const text = pdfText(file);
    expect(/Hash value: ([0-9a-f]{64})/.exec(text)?.[1]).toBe(issued);
    const key = await e2e.http().get('/evidence/public-key').expect(200);
    expect(verifyEvidenceBundle(json, { publicKey: Uint8Array.from(Buffer.from(key.body.publicKey, 'base64')) }).ok).toBe(true);

    // A JSON bundle downloaded on its own names its hash the same way, and prints offline to that hash.
    const alone = await e2e.http().get(`/seizures/${seizureId}/evidence`).set('Authorization', court).expect(200);
    expect(alone.headers['x-evidence-bundle-hash']).toBe(alone.body.bundleHash);

    await e2e
      .http()
      .get(`/seizures/${seizureId}/evidence?format=json`)
      .set('Authorization', court)
      .expect(200)
      .expect('Content-Type', /json/);
    const bad = await e2e.http().get(`/seizures/${seizureId}/evidence?format=docx`).set('Authorization', court).expect(400);
    expect(JSON.stringify(bad.body)).toContain('format must be one of json, pdf');
  }, 60_000);

  it('is refused to roles without access to personal data and outside the jurisdiction', async () => {
    await e2e
      .http()
      .get(`/seizures/${seizureId}/evidence`)
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.treasuryOfficer)}`)
      .expect(403);
    await e2e
      .http()
      .get(`/seizures/${seizureId}/evidence`)
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.outOfDistrict)}`)
      .expect(403);
    await e2e
      .http()
      .get(`/seizures/${randomUUID()}/evidence`)
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.court)}`)
      .expect(404);
  });
});
