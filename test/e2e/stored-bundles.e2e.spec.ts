import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { STORED_BUNDLES_FILENAME } from '../../src/evidence/bundle/stored/stored-bundles.module';
import { verifyEvidenceBundle } from '../../src/evidence/verify/bundle.verify';
import type { Actor } from '../../src/shared/actor';
import { actors, recordSeizureCommand } from '../support/custody-fixtures';
import { rawBytes } from '../support/binary-body';
import { startE2eApp, type E2eApp } from '../support/e2e-app';
import { filesHolding, withSidecars } from '../support/marker-scan';
import { pdfText } from '../support/pdf-reader';

jest.setTimeout(120_000);

/**
 * Issue #16: a bundle the ledger issued is fetched again by its hash, byte for byte, and printed
 * by the server; kept without any personal value in clear, and gone (410, naming the erasure) once
 * the person whose data it opened is erased — while a new bundle verifies and shows the erasure.
 */
describe('stored evidence bundles (e2e, SQLite)', () => {
  let e2e: E2eApp;
  let dir: string;
  const seizureId = randomUUID();
  const NAME = 'PDMARK-stored Ramesh Kumar';
  const ORDER = 'DEO/VNS/ERASE/2024/3';

  const get = (path: string, actor: Actor): Promise<Response> =>
    e2e
      .http()
      .get(path)
      .set('Authorization', `Bearer ${e2e.tokenFor(actor)}`)
      .buffer(true)
      .parse(rawBytes);
  const issue = async (): Promise<Response> => {
    const response = await get(`/seizures/${seizureId}/evidence`, actors.flyingSquad);
    expect(response.status).toBe(200);
    return response;
  };
  const printed = (pdf: Buffer, name: string): string => {
    const file = join(dir, name);
    writeFileSync(file, pdf);
    return pdfText(file);
  };

  beforeAll(async () => {
    e2e = await startE2eApp({ env: { TREE_HEAD_INTERVAL_SECONDS: '1' } });
    dir = mkdtempSync(join(tmpdir(), 'ledger-stored-bundles-'));
    const base = recordSeizureCommand({ seizureId }).data;
    await e2e
      .http()
      .post('/seizures')
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.flyingSquad)}`)
      .send({ ...base, seizedFrom: { ...base.seizedFrom, name: NAME } })
      .expect(201);
  });
  afterAll(async () => {
    await e2e.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let issued: Response;
  let bundleHash: string;

  it('answers an issued bundle again by its hash, byte for byte, with the same Content-Type and the hash as ETag', async () => {
    issued = await issue();
    bundleHash = issued.headers['x-evidence-bundle-hash'];
    const body = issued.body as Buffer;
    expect(JSON.parse(body.toString('utf8')).bundleHash).toBe(bundleHash);
    expect(body.toString('utf8')).toContain(NAME);

    for (const reader of [actors.flyingSquad, actors.court, actors.committee]) {
      const again = await get(`/evidence/bundles/${bundleHash}`, reader);
      expect(again.status).toBe(200);
      expect((again.body as Buffer).equals(body)).toBe(true);
      expect(again.headers['content-type']).toBe(issued.headers['content-type']);
      expect(again.headers.etag).toBe(`"${bundleHash}"`);
      expect(again.headers['content-disposition']).toBe(issued.headers['content-disposition']);
    }
    expect(issued.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('keeps no personal value of it in clear in its file', () => {
    const files = withSidecars(join(e2e.config.dataDir, STORED_BUNDLES_FILENAME));
    expect(filesHolding(seizureId, files)).not.toEqual([]);
    expect(filesHolding(NAME, files)).toEqual([]);
    expect(filesHolding('Mohan Lal', files)).toEqual([]);
  });

  it('refuses roles that do not issue bundles, readers outside the seizure, malformed and unknown hashes', async () => {
    expect((await get(`/evidence/bundles/${bundleHash}`, actors.malkhana)).status).toBe(403);
    expect((await get(`/evidence/bundles/${bundleHash}.pdf`, actors.admin)).status).toBe(403);
    expect((await get(`/evidence/bundles/${bundleHash}`, actors.outOfDistrict)).status).toBe(403);
    const malformed = await get('/evidence/bundles/not-a-hash', actors.flyingSquad);
    expect(malformed.status).toBe(400);
    expect(JSON.parse((malformed.body as Buffer).toString()).errors).toEqual([{ field: 'bundleHash', reason: expect.any(String) }]);
    expect((await get(`/evidence/bundles/${'0'.repeat(64)}`, actors.flyingSquad)).status).toBe(404);
    expect((await get(`/evidence/bundles/${'0'.repeat(64)}.pdf`, actors.flyingSquad)).status).toBe(404);
  });

  it('prints the stored bundle: the certificate names its bundleHash', async () => {
    const pdf = await get(`/evidence/bundles/${bundleHash}.pdf`, actors.court);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = printed(pdf.body as Buffer, 'stored.pdf');
    expect(text).toContain(bundleHash);
    expect(text).toContain(NAME);
    // No witnesses are configured here: the certificate says the log alone signed the checkpoint.
    expect(text).toContain('Cosigned by witnesses');
    expect(text).toContain('the log’s signature alone');
  });

  it('answers 410 naming the erasure once the person is erased, and a new bundle verifies and shows the erasure', async () => {
    const erased = await e2e
      .http()
      .post(`/seizures/${seizureId}/personal-data-erasures`)
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.admin)}`)
      .send({
        subjects: ['seized-from'],
        legalBasis: 'court_order',
        orderReference: ORDER,
        courtOrder: { court: 'CJM Varanasi', orderNumber: 'CJM/VNS/2024/77', orderedOn: '2024-04-20' },
      })
      .expect(200);
    const erasureEventId = erased.body.events[0].eventId as string;

    for (const path of [`/evidence/bundles/${bundleHash}`, `/evidence/bundles/${bundleHash}.pdf`]) {
      const gone = await get(path, actors.flyingSquad);
      expect(gone.status).toBe(410);
      expect(gone.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = JSON.parse((gone.body as Buffer).toString('utf8'));
      expect(problem.type).toMatch(/stored-bundle-erased$/);
      expect(problem.detail).toContain(erasureEventId);
      expect(problem.detail).toContain(ORDER);
      expect(problem.detail).toContain(`/seizures/${seizureId}/evidence`);
      expect(gone.headers.link).toBe(`</seizures/${seizureId}/evidence>; rel="alternate"`);
    }

    const fresh = await issue();
    const bundle = JSON.parse((fresh.body as Buffer).toString('utf8'));
    expect(JSON.stringify(bundle)).not.toContain(NAME);
    const recorded = bundle.events.find((e: { type: string }) => e.type === 'SeizureRecorded');
    expect(recorded.revealed).toContainEqual({
      fieldPath: '/seizedFrom',
      erased: true,
      erasedAt: expect.any(String),
      erasureEventId,
      orderReference: ORDER,
    });
    const key = await e2e.http().get('/evidence/public-key').expect(200);
    const report = verifyEvidenceBundle(bundle, { publicKey: Uint8Array.from(Buffer.from(key.body.publicKey, 'base64')) });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);

    // The new bundle is kept too (the witnesses' keys still open it), and its print shows the erasure.
    const again = await get(`/evidence/bundles/${bundle.bundleHash as string}`, actors.flyingSquad);
    expect((again.body as Buffer).equals(fresh.body as Buffer)).toBe(true);
    const text = printed(
      (await get(`/evidence/bundles/${bundle.bundleHash as string}.pdf`, actors.flyingSquad)).body as Buffer,
      'fresh.pdf',
    );
    expect(text).toContain(`erased on 20 Apr 2024 11:30 IST under ${ORDER}`);
    expect(text).toContain(bundle.bundleHash);
  });
});
