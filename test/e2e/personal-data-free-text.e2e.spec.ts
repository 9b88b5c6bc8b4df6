import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { request as httpRequest, type ClientRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Response } from 'supertest';
import type { SeizureEventType } from '../../src/custody/events';
import { PERSONAL_DATA_ENTRIES, mayReadPersonalData } from '../../src/custody/personal-data';
import type { Actor } from '../../src/shared/actor';
import { CASH, LIQUOR, actors, custodians, recordSeizureCommand } from '../support/custody-fixtures';
import { rawBytes } from '../support/binary-body';
import { startE2eApp, type E2eApp } from '../support/e2e-app';

jest.setTimeout(120_000);

/**
 * The security probe of issue 15, as a test: a unique marker, made to look like a person's name,
 * is typed into every field of the personal-data list (identity and free text) across a whole
 * life of a seizure — a rejected handover, a discrepancy, corrections of personal and other
 * events, an attachment, a release and a disposal — and into invalid requests. Then every role
 * without personal-data access reads every GET of the API, and the live feed while the events are
 * appended: no marker may appear in any body or header. The officer's answers must hold them all.
 */

const MARKER = /PDMARK/;
/** The person's phone: digits only by its own rule, so it cannot carry the marker. */
const PHONE = '+91 98765 01234';
const PHONE_DIGITS = /98765[ -]?01234/;

type ListedKey = `${SeizureEventType}.${string}`;
const planted = new Set<string>();
let serial = 0;
/** The text planted in one listed field: unique to it, and looking like a name a user might type. */
const mark = (key: ListedKey): string => {
  planted.add(key);
  serial += 1;
  return `PDMARK-${key}-${serial} Ramesh Kumar`;
};
const leaks = (text: string): boolean => MARKER.test(text) || PHONE_DIGITS.test(text);
const LISTED_KEYS = PERSONAL_DATA_ENTRIES.map((e) => `${e.type}.${e.field}`);

/** A Server-Sent Events reader that keeps the raw text of the stream. */
class RawSse {
  text = '';
  status = 0;
  headers = '';
  private request!: ClientRequest;

  static open(port: number, token: string): Promise<RawSse> {
    const sse = new RawSse();
    return new Promise((resolve, reject) => {
      sse.request = httpRequest(
        { host: '127.0.0.1', port, path: '/events/stream', headers: { Accept: 'text/event-stream', Authorization: `Bearer ${token}` } },
        (response) => {
          sse.status = response.statusCode ?? 0;
          sse.headers = JSON.stringify(response.headers);
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (sse.text += chunk));
          response.once('data', () => resolve(sse));
        },
      );
      sse.request.on('error', reject);
      sse.request.end();
    });
  }

  async waitForId(position: number): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (!this.text.includes(`id: ${position}\n`)) {
      if (Date.now() > deadline) throw new Error(`the feed did not reach position ${position}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    this.request.destroy();
  }
}

describe('personal data in free text (e2e, SQLite): withheld from every role without access, everywhere', () => {
  let e2e: E2eApp;
  let port: number;
  const seizureId = randomUUID();
  const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2_000, 9)]);
  const sha256 = createHash('sha256').update(photo).digest('hex');
  const withoutAccess: Array<[string, Actor]> = [
    ['custodian', actors.malkhana],
    ['treasury', actors.treasuryOfficer],
    ['auditor', actors.auditor],
    ['admin', actors.admin],
  ];
  const streams = new Map<string, RawSse>();
  /** Answers to the invalid requests, each sent by a role without access. */
  const refusals: Array<[string, Response]> = [];
  let lastPosition = 0;
  /** A bundle the officer was issued, fetched again by its hash by every reader. */
  let issuedBundleHash = '';

  const bearer = (actor: Actor) => `Bearer ${e2e.tokenFor(actor)}`;
  const post = (path: string, actor: Actor, body: object) => e2e.http().post(path).set('Authorization', bearer(actor)).send(body);
  const get = (path: string, actor: Actor) => e2e.http().get(path).set('Authorization', bearer(actor));
  const at = (path = '') => `/seizures/${seizureId}${path}`;
  const ok = async (request: Promise<Response>): Promise<Response> => {
    const response = await request;
    if (response.status >= 300) throw new Error(`${response.status}: ${JSON.stringify(response.body)}`);
    lastPosition = Math.max(lastPosition, response.body.globalPosition ?? 0);
    return response;
  };

  beforeAll(async () => {
    e2e = await startE2eApp({ env: { RATE_LIMIT_BURST_PER_SECOND: '100000', RATE_LIMIT_PER_MINUTE: '1000000' } });
    await e2e.app.listen(0, '127.0.0.1');
    port = (e2e.app.getHttpServer().address() as AddressInfo).port;
    for (const [role, actor] of [...withoutAccess, ['officer', actors.flyingSquad] as [string, Actor]]) {
      streams.set(role, await RawSse.open(port, e2e.tokenFor(actor)));
    }
    await liveOneSeizure();
    await sendInvalidRequests();
    for (const sse of streams.values()) await sse.waitForId(lastPosition);
    issuedBundleHash = (await get(at('/evidence'), actors.flyingSquad).expect(200)).headers['x-evidence-bundle-hash'];
  });
  afterAll(async () => {
    for (const sse of streams.values()) sse.close();
    await e2e.close();
  });

  /** A whole life of one seizure, a marker in every listed field. */
  async function liveOneSeizure(): Promise<void> {
    const base = recordSeizureCommand({ seizureId }).data;
    const recorded = await ok(
      post('/seizures', actors.flyingSquad, {
        ...base,
        seizedFrom: {
          name: mark('SeizureRecorded.seizedFrom'),
          idDocument: { type: 'aadhaar', number: 'PDMARK-ID-0001' },
          address: mark('SeizureRecorded.seizedFrom'),
          phone: PHONE,
        },
        witnesses: [
          { name: mark('SeizureRecorded.witnesses'), address: mark('SeizureRecorded.witnesses') },
          { name: mark('SeizureRecorded.witnesses'), address: 'Lahurabir, Varanasi' },
        ],
      }),
    );
    await ok(
      post(at('/valuations'), actors.flyingSquad, {
        valuations: [{ itemId: LIQUOR, valuePaise: 5_000_000 }],
        basis: mark('ItemsValued.basis'),
        reason: mark('ItemsValued.reason'),
      }),
    );
    // The liquor: refused once, then accepted short (a discrepancy), then destroyed by court order.
    const refused = randomUUID();
    const liquorTo = (transferId: string) =>
      post(at('/transfers'), actors.flyingSquad, {
        transferId,
        itemIds: [LIQUOR],
        to: custodians.malkhana,
        sealNumbers: ['S-1002', 'S-1003'],
        reason: mark('CustodyTransferInitiated.reason'),
      });
    await ok(liquorTo(refused));
    await ok(post(at(`/transfers/${refused}/reject`), actors.malkhana, { reason: mark('CustodyTransferRejected.reason') }));
    const liquor = randomUUID();
    await ok(liquorTo(liquor));
    await ok(
      post(at(`/transfers/${liquor}/accept`), actors.malkhana, {
        seals: [
          { number: 'S-1002', condition: 'intact' },
          { number: 'S-1003', condition: 'intact' },
        ],
        countedQuantities: [{ itemId: LIQUOR, quantity: 47_250 }],
        // Recorded on the acceptance and on the discrepancy it raises.
        remarks: `${mark('CustodyTransferAccepted.remarks')} / ${mark('DiscrepancyRecorded.remarks')}`,
      }),
    );
    await ok(
      post(at('/disposals'), actors.court, {
        orderNumber: 'CJM/VNS/2024/55',
        orderedOn: '2024-04-20',
        method: 'destroyed',
        itemIds: [LIQUOR],
        remarks: mark('ItemsDisposed.remarks'),
      }),
    );
    await cashToRelease();
    await attachAndCorrect(recorded.body.events[0].eventId as string);
    await openAndCloseCases();
  }

  async function cashToRelease(): Promise<void> {
    const cash = randomUUID();
    await ok(
      post(at('/transfers'), actors.flyingSquad, {
        transferId: cash,
        itemIds: [CASH],
        to: custodians.treasury,
        sealNumbers: ['S-1001'],
        reason: mark('CustodyTransferInitiated.reason'),
      }),
    );
    await ok(
      post(at(`/transfers/${cash}/accept`), actors.treasuryOfficer, {
        seals: [{ number: 'S-1001', condition: 'intact' }],
        countedQuantities: [{ itemId: CASH, quantity: 125_000_000 }],
        remarks: mark('CustodyTransferAccepted.remarks'),
      }),
    );
    await ok(
      post(at('/deposits'), actors.treasuryOfficer, {
        challanNumber: 'CH-2024-88',
        treasury: { id: 'TR-VNS', name: 'District Treasury Varanasi' },
        itemIds: [CASH],
        amountPaise: 125_000_000,
        depositedOn: '2024-04-20',
      }),
    );
    // Confirmed short: a discrepancy the treasury reconciliation lists, with the confirmation's remarks.
    await ok(
      post(at('/deposits/CH-2024-88/confirm'), actors.treasuryAccountant, {
        confirmedAmountPaise: 124_000_000,
        remarks: `${mark('DepositConfirmed.remarks')} / ${mark('DiscrepancyRecorded.remarks')}`,
      }),
    );
    await ok(
      post(at('/income-tax-referrals'), actors.flyingSquad, {
        referenceNumber: 'IT/VNS/2024/31',
        office: 'Income Tax nodal officer, Varanasi',
        remarks: mark('ReferredToIncomeTax.remarks'),
      }),
    );
    await ok(
      post(at('/income-tax-clearances'), actors.incomeTax, { clearanceNumber: 'IT-CLR-55', remarks: mark('IncomeTaxCleared.remarks') }),
    );
    const recipient = { name: mark('ReleaseOrdered.releaseTo'), idDocument: { type: 'aadhaar', number: 'PDMARK-ID-0002' } };
    planted.add('ItemsReleased.releasedTo');
    await ok(
      post(at('/release-orders'), actors.committee, {
        orderNumber: 'DGC-VNS-7',
        orderedOn: '2024-04-20',
        itemIds: [CASH],
        releaseTo: recipient,
        reasons: mark('ReleaseOrdered.reasons'),
      }),
    );
    await ok(
      post(at('/releases'), actors.treasuryOfficer, {
        orderNumber: 'DGC-VNS-7',
        itemIds: [CASH],
        releasedTo: recipient,
        identityChecked: true,
        remarks: mark('ItemsReleased.remarks'),
      }),
    );
  }

  async function attachAndCorrect(seizureEventId: string): Promise<void> {
    const query = new URLSearchParams({
      fileName: `${mark('AttachmentAdded.fileName')}.jpg`,
      description: mark('AttachmentAdded.description'),
    });
    await ok(
      e2e
        .http()
        .post(at(`/attachments?${query.toString()}`))
        .set('Authorization', bearer(actors.flyingSquad))
        .set('Content-Type', 'image/jpeg')
        .send(photo),
    );
    const correction = () => ({
      whatWasWrong: mark('CorrectionRecorded.whatWasWrong'),
      correction: mark('CorrectionRecorded.correction'),
      reason: mark('CorrectionRecorded.reason'),
    });
    // Of an event holding personal data, and of one holding none (the deposit, by the treasury that made it).
    await ok(post(at('/corrections'), actors.flyingSquad, { correctsEventId: seizureEventId, ...correction() }));
    const trail = await get(at('/events'), actors.flyingSquad).expect(200);
    const deposit = trail.body.events.find((e: { type: string }) => e.type === 'CashDeposited');
    await ok(post(at('/corrections'), actors.treasuryOfficer, { correctsEventId: deposit.eventId, ...correction() }));
  }

  /** The proceedings on the seizure, each closed by the role that knows, with markers in their free text. */
  async function openAndCloseCases(): Promise<void> {
    await ok(
      post(at('/firs'), actors.flyingSquad, { firNumber: '117/2024', policeStation: 'Cantt', registeredOn: '2024-04-20', sections: [] }),
    );
    await ok(
      post(at('/fir-closures'), actors.flyingSquad, {
        how: 'closure_report_accepted',
        closedOn: '2024-04-20',
        court: 'CJM Varanasi',
        reference: 'CJM/VNS/2024/901',
        remarks: mark('FirClosed.remarks'),
      }),
    );
    await ok(
      post(at('/court-proceedings-disposals'), actors.court, {
        disposedOn: '2024-04-20',
        court: 'CJM Varanasi',
        caseNumber: 'CC 412/2024',
        remarks: mark('CourtProceedingsDisposedOf.remarks'),
      }),
    );
    await ok(
      post(at('/income-tax-proceedings-closures'), actors.incomeTax, {
        closedOn: '2024-04-20',
        orderNumber: 'ITO/77',
        remarks: mark('IncomeTaxProceedingsClosed.remarks'),
      }),
    );
    const disputeId = randomUUID();
    await ok(
      post(at('/release-disputes'), actors.committee, {
        disputeId,
        raisedOn: '2024-04-20',
        itemIds: [CASH],
        grounds: mark('ReleaseDisputeRaised.grounds'),
      }),
    );
    await ok(
      post(at(`/release-disputes/${disputeId}/resolution`), actors.committee, {
        resolvedOn: '2024-04-20',
        outcome: 'dismissed',
        reference: 'DGC/VNS/2024/40',
        remarks: mark('ReleaseDisputeResolved.remarks'),
      }),
    );
  }

  /** Requests that fail, markers in their listed fields, each from a role without access. */
  async function sendInvalidRequests(): Promise<void> {
    const refuse = async (what: string, request: Promise<Response>) => {
      const response = await request;
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      refusals.push([what, response]);
    };
    const M = 'PDMARK-invalid Ramesh Kumar';
    const before = await e2e.lastPosition();
    await refuse('reject an unknown transfer', post(at(`/transfers/${randomUUID()}/reject`), actors.malkhana, { reason: M }));
    await refuse(
      'a reason too long',
      post(at('/transfers'), actors.malkhana, {
        transferId: randomUUID(),
        itemIds: [LIQUOR],
        to: custodians.treasury,
        sealNumbers: [],
        reason: `${M} ${'x'.repeat(3000)}`,
      }),
    );
    await refuse(
      'a correction with a control character and a bad id',
      post(at('/corrections'), actors.treasuryOfficer, { correctsEventId: 'PDMARK', whatWasWrong: `${M}\u0007`, correction: M, reason: M }),
    );
    await refuse(
      'a correction of an unknown event',
      post(at('/corrections'), actors.admin, { correctsEventId: randomUUID(), whatWasWrong: M, correction: M, reason: M }),
    );
    await refuse(
      'a correction by an auditor',
      post(at('/corrections'), actors.auditor, { correctsEventId: randomUUID(), whatWasWrong: M, correction: M, reason: M }),
    );
    await refuse('a valuation without items', post(at('/valuations'), actors.malkhana, { valuations: [], basis: M, reason: M }));
    await refuse(
      'a second release, to someone the order does not name',
      post(at('/releases'), actors.treasuryOfficer, {
        orderNumber: 'DGC-VNS-7',
        itemIds: [CASH],
        releasedTo: { name: M, idDocument: { type: 'aadhaar', number: 'PDMARK-9' } },
        identityChecked: true,
        remarks: M,
      }),
    );
    await refuse(
      'a release order by a custodian',
      post(at('/release-orders'), actors.malkhana, {
        orderNumber: 'X-1',
        orderedOn: '2024-04-20',
        itemIds: [CASH],
        releaseTo: { name: M },
        reasons: M,
      }),
    );
    // A misspelt field is named (the sender's own key, so it can be fixed), never its value.
    await refuse('a misspelt field', post(at('/transfers'), actors.malkhana, { reasons: M, reason: M }));
    await refuse(
      'malformed JSON',
      e2e
        .http()
        .post(at('/corrections'))
        .set('Authorization', bearer(actors.treasuryOfficer))
        .set('Content-Type', 'application/json')
        .send(`{"reason": "${M}", "correction": `),
    );
    await refuse(
      'an attachment file name with a slash',
      e2e
        .http()
        .post(at(`/attachments?fileName=${encodeURIComponent(`${M}/x.jpg`)}&description=${encodeURIComponent(M)}`))
        .set('Authorization', bearer(actors.malkhana))
        .set('Content-Type', 'image/jpeg')
        .send(photo),
    );
    expect(await e2e.lastPosition()).toBe(before);
  }

  /** Any status below 500 will do. */
  const ANY = 0;
  /** Every GET of the API, for one reader, and what each should answer. */
  const reads = (reader: Actor): Array<[string, number]> => {
    const p = `minPosition=${lastPosition}`;
    const personal = mayReadPersonalData(reader);
    return [
      [at(), 200],
      [at('/events'), 200],
      [at(`/custody-history?${p}`), 200],
      [at(`/items/${CASH}/custody-history?${p}`), 200],
      [at(`/items/${LIQUOR}/custody-history?${p}`), 200],
      [at(`/timeline?${p}`), 200],
      [at(`/attachments/${sha256}`), 200],
      [`/seizures?${p}`, 200],
      [`/seizures?memoNumber=${encodeURIComponent('PDMARK-ReleaseOrdered.releaseTo Ramesh Kumar')}&${p}`, 200],
      [`/seizures?vehicleNumber=UP65AB1234&${p}`, 200],
      ...(['pending', 'accepted', 'rejected'] as const).map((status): [string, number] => [`/transfers/inbox?status=${status}&${p}`, 200]),
      [`/statements/seizures?date=2024-04-20&groupBy=district&${p}`, 200],
      [`/statements/seizures?date=2024-04-20&format=csv&${p}`, 200],
      [`/treasuries/reconciliation?${p}`, 200],
      [`/treasuries/TR-VNS/reconciliation?${p}`, 200],
      [`/deadlines?includeUpcoming=true&${p}`, 200],
      [at('/evidence'), personal ? 200 : 403],
      [at('/evidence?format=pdf'), personal ? 200 : 403],
      [`/evidence/bundles/${issuedBundleHash}`, personal ? 200 : 403],
      [`/evidence/bundles/${issuedBundleHash}.pdf`, personal ? 200 : 403],
      ['/evidence/tree-heads/latest', 200],
      ['/evidence/tree-heads', 200],
      ['/evidence/public-key', 200],
      // A checkpoint exists only once the signer has run: the answer is scanned either way.
      ['/evidence/checkpoint', ANY],
      ['/evidence/witnesses', ANY],
      // Proofs hold hashes only; whether the log has signed that far yet does not matter here.
      [`/evidence/inclusion-proof?globalPosition=${lastPosition}`, ANY],
      ['/evidence/consistency-proof?firstSize=1&secondSize=2', ANY],
      ['/session', 200],
      ['/health', 200],
      ['/docs-json', 200],
    ];
  };
  const fetchAll = async (reader: Actor) => {
    const answers: Array<{ path: string; status: number; text: string; headers: Record<string, string> }> = [];
    for (const [path, expected] of reads(reader)) {
      const response = await get(path, reader).buffer(true).parse(rawBytes);
      answers.push({ path, status: response.status, text: (response.body as Buffer).toString('utf8'), headers: response.headers });
      expect([path, response.status]).toEqual([path, expected === ANY ? expect.any(Number) : expected]);
      expect(response.status).toBeLessThan(500);
    }
    return answers;
  };

  it('plants a marker in every field of the personal-data list, and the officer reads every one back', async () => {
    expect([...planted].sort()).toEqual([...LISTED_KEYS].sort());
    const trail = await get(at('/events'), actors.flyingSquad).expect(200);
    const events = trail.body.events as Array<{ type: string; data: Record<string, unknown> }>;
    for (const key of LISTED_KEYS) {
      const [type, field] = key.split('.');
      const values = events.filter((e) => e.type === type).map((e) => JSON.stringify(e.data[field]));
      expect([key, values.some((v) => MARKER.test(v))]).toEqual([key, true]);
    }
    // The officer's other answers hold them too, so the scans below can fail.
    const answers = await fetchAll(actors.flyingSquad);
    const leaking = answers.filter((a) => leaks(a.text) || leaks(JSON.stringify(a.headers))).map((a) => a.path);
    for (const path of [
      at(),
      at('/events'),
      at(`/custody-history?minPosition=${lastPosition}`),
      at(`/timeline?minPosition=${lastPosition}`),
    ])
      expect(leaking).toContain(path);
    expect(leaking.some((p) => p.startsWith(at('/attachments')))).toBe(true);
    expect(leaking.some((p) => p.startsWith('/treasuries/reconciliation'))).toBe(true);
    expect(leaks(streams.get('officer')?.text ?? '')).toBe(true);
  });

  it('keeps no planted value in clear in the ledger, the read models or the issued bundles: sealed there, opened only in answers (issue 17)', () => {
    const files = filesUnder(e2e.config.dataDir).filter((f) => /\.sqlite(-wal|-shm)?$/.test(f));
    expect(files.some((f) => f.endsWith('ledger.sqlite'))).toBe(true);
    // The bundles issued to the officer are kept too (issue 16), sealed under the people's keys.
    expect(files.some((f) => f.endsWith('evidence-bundles.sqlite'))).toBe(true);
    // The search can fail: text that is not personal data is found in clear.
    expect(files.some((f) => readFileSync(f).includes(Buffer.from(recordSeizureCommand().data.memoNumber)))).toBe(true);
    const holding = files.filter((f) => /PDMARK|98765 01234/.test(readFileSync(f).toString('latin1')));
    expect(holding.map((f) => f.slice(e2e.config.dataDir.length))).toEqual([]);
  });

  it.each(['custodian', 'treasury', 'auditor', 'admin'])('shows the %s role no marker in any answer or header of any GET', async (role) => {
    const reader = withoutAccess.find(([r]) => r === role)?.[1] as Actor;
    const answers = await fetchAll(reader);
    const leaking = answers.filter((a) => leaks(a.text) || leaks(JSON.stringify(a.headers))).map((a) => a.path);
    expect(leaking).toEqual([]);
    // Withheld, not lost: the trail keeps every event, each listed field replaced by the marker.
    const trail = JSON.parse(answers.find((a) => a.path === at('/events'))?.text ?? '{}');
    expect(trail.events.filter((e: { redacted: boolean }) => e.redacted).length).toBeGreaterThan(10);
  });

  it.each(['custodian', 'treasury', 'auditor', 'admin'])('streams the %s role every event without a marker', (role) => {
    const sse = streams.get(role) as RawSse;
    expect(sse.status).toBe(200);
    expect(sse.text).toContain(`id: ${lastPosition}\n`);
    expect(leaks(sse.text) || leaks(sse.headers)).toBe(false);
  });

  it('reads every GET route the application serves', () => {
    const STATIC = /^\/(docs(\/.*)?|console\/.*|index\.html)?$/;
    type Layer = { route?: { path: string | string[]; methods: Record<string, boolean> } };
    const router = (e2e.app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } }).router;
    const served = router.stack
      .filter((layer) => layer.route?.methods.get === true)
      .flatMap((layer) => [layer.route?.path ?? []].flat())
      // The live feed is read as a stream above; the console's files and Swagger UI are static.
      .filter((path) => path !== '/events/stream' && !STATIC.test(path));
    const read = reads(actors.flyingSquad).map(([path]) => path.split('?')[0]);
    const unread = served.filter((route) => {
      const pattern = new RegExp(`^${route.replace(/:[A-Za-z0-9_]+/g, '[^/]+')}/?$`);
      return !read.some((path) => pattern.test(path));
    });
    expect(served.length).toBeGreaterThan(15);
    expect(unread).toEqual([]);
  });

  it('echoes no submitted value in the errors of invalid requests', () => {
    expect(refusals.length).toBeGreaterThan(5);
    const echoing = refusals.filter(([, r]) => leaks(r.text) || leaks(JSON.stringify(r.headers))).map(([what]) => what);
    expect(echoing).toEqual([]);
  });

  it('gives the redacted and the full copy of every role-dependent answer different ETags, and Vary: Authorization', async () => {
    const p = `minPosition=${lastPosition}`;
    for (const path of [
      at(),
      at('/events'),
      at(`/timeline?${p}`),
      at(`/custody-history?${p}`),
      at(`/attachments/${sha256}`),
      `/treasuries/reconciliation?${p}`,
    ]) {
      const full = await get(path, actors.flyingSquad).buffer(true).parse(rawBytes).expect(200);
      const redacted = await get(path, actors.malkhana).buffer(true).parse(rawBytes).expect(200);
      expect([path, full.headers.etag === redacted.headers.etag]).toEqual([path, false]);
      for (const response of [full, redacted])
        expect([path, response.headers.vary]).toEqual([path, expect.stringMatching(/Authorization/i)]);
    }
  });
});

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
