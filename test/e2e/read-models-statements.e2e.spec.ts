import { randomUUID } from 'node:crypto';
import { eventLeafHash } from '../../src/evidence/merkle/merkle-tree-store';
import { hexToBytes, verifyInclusion } from '../../src/evidence/merkle/rfc9162';
import type { SignedTreeHead } from '../../src/evidence/tree-heads/tree-head';
import { verifyTreeHeadSignature } from '../../src/evidence/verify/tree-head.verify';
import type { Actor } from '../../src/shared/actor';
import { CASH, LIQUOR, actors, custodians, recordSeizureCommand } from '../support/custody-fixtures';
import { startE2eApp, type E2eApp } from '../support/e2e-app';

const PROBLEM_JSON = /^application\/problem\+json/;
const HOUR = 3600_000;

/**
 * The seizure statement, treasury reconciliation and deadline watch over HTTP, fed by the real
 * projector from commands sent through the API. Every read passes the ledger's last position as
 * minPosition, so it sees the writes before it.
 *
 * Two seizures in Varanasi, either side of Indian midnight: the first at 11:00 IST on 19 April,
 * the second at 00:15 IST on 20 April (18:45 UTC on the 19th). Each holds Rs 12,50,000 cash and
 * 48 litres of liquor. The first's cash goes to the treasury, is counted Rs 500 short and
 * deposited unconfirmed; the second's liquor is handed to the malkhana, which never answers.
 */
describe('statements, treasury reconciliation and deadlines over HTTP (e2e, SQLite)', () => {
  let e2e: E2eApp;
  const first = randomUUID();
  const second = randomUUID();
  const cashTransfer = randomUUID();
  const liquorTransfer = randomUUID();

  const post = (path: string, actor: Actor, body: object) =>
    e2e
      .http()
      .post(path)
      .set('Authorization', `Bearer ${e2e.tokenFor(actor)}`)
      .send(body);
  /** A read that waits for everything written so far, expecting `status`. */
  const read = async (path: string, actor: Actor, status = 200, accept = 'application/json') => {
    const minPosition = await e2e.lastPosition();
    return e2e
      .http()
      .get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${minPosition}`)
      .set('Authorization', `Bearer ${e2e.tokenFor(actor)}`)
      .set('Accept', accept)
      .expect(status);
  };

  beforeAll(async () => {
    e2e = await startE2eApp({ clockStart: '2024-04-20T06:00:00.000Z', env: { TREE_HEAD_INTERVAL_SECONDS: '1' } });
    await post(
      '/seizures',
      actors.flyingSquad,
      recordSeizureCommand({ seizureId: first, memoNumber: 'FS3/1', seizedAt: '2024-04-19T05:30:00.000Z' }).data,
    ).expect(201);
    await post(
      '/seizures',
      actors.flyingSquad,
      recordSeizureCommand({ seizureId: second, memoNumber: 'FS3/2', seizedAt: '2024-04-19T18:45:00.000Z' }).data,
    ).expect(201);
    await post(`/seizures/${first}/transfers`, actors.flyingSquad, {
      transferId: cashTransfer,
      itemIds: [CASH],
      to: custodians.treasury,
      sealNumbers: ['S-1001'],
      reason: 'to the treasury',
    }).expect(200);
    await post(`/seizures/${first}/transfers/${cashTransfer}/accept`, actors.treasuryOfficer, {
      seals: [{ number: 'S-1001', condition: 'intact' }],
      countedQuantities: [{ itemId: CASH, quantity: 124_950_000 }],
      remarks: 'one Rs 500 bundle short',
    }).expect(200);
    await post(`/seizures/${first}/deposits`, actors.treasuryOfficer, {
      challanNumber: 'CH-88',
      treasury: { id: 'TR-VNS', name: 'District Treasury Varanasi' },
      itemIds: [CASH],
      amountPaise: 124_950_000,
      depositedOn: '2024-04-20',
    }).expect(200);
    await post(`/seizures/${second}/transfers`, actors.flyingSquad, {
      transferId: liquorTransfer,
      itemIds: [LIQUOR],
      to: custodians.malkhana,
      sealNumbers: ['S-1002', 'S-1003'],
      reason: 'case property',
    }).expect(200);
  });

  afterAll(async () => {
    await e2e.close();
  });

  describe('GET /statements/seizures', () => {
    it('gives the day by Indian date and the cumulative figures, at the position it was computed', async () => {
      const res = await read('/statements/seizures?date=2024-04-19&groupBy=district', actors.flyingSquad);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['x-read-model-position']).toBeDefined();
      expect(res.body).toMatchObject({ date: '2024-04-19', timeZone: 'Asia/Kolkata', groupBy: 'district' });
      expect(res.body.ledgerPosition).toBeGreaterThan(0);
      expect(res.body.rows).toHaveLength(1);
      expect(res.body.rows[0]).toMatchObject({
        state: 'UP',
        district: 'UP-VNS',
        day: {
          seizures: 1,
          cash: { valuePaise: 125_000_000 },
          liquor: { volumeMl: 48_000, litres: '48.000', valuePaise: 4_800_000 },
          totalValuePaise: 129_800_000,
        },
        cumulative: { seizures: 1, totalValuePaise: 129_800_000 },
      });

      const next = await read('/statements/seizures?date=2024-04-20&groupBy=constituency', actors.flyingSquad);
      expect(next.body.rows).toMatchObject([
        {
          state: 'UP',
          district: null,
          constituency: 390,
          day: { seizures: 1 },
          cumulative: { seizures: 2, cash: { valuePaise: 250_000_000 } },
        },
      ]);
    });

    it('carries the signed tree head it was computed at, in JSON and CSV: its signature verifies and its tree holds the statement’s events', async () => {
      const res = await read('/statements/seizures?date=2024-04-19&groupBy=district', actors.flyingSquad);
      const head = res.body.treeHead as SignedTreeHead;
      expect(head).toEqual({
        logId: expect.any(String),
        keyId: expect.stringMatching(/^[0-9a-f]{64}$/),
        treeSize: expect.any(Number),
        rootHash: expect.any(String),
        timestamp: expect.any(String),
        signature: expect.any(String),
      });
      expect(res.body).toMatchObject({ treeHeadNote: null, publicKeyUrl: '/evidence/public-key' });

      // Unauthenticated: anyone holding the statement can check it.
      const key = await e2e
        .http()
        .get(res.body.publicKeyUrl as string)
        .expect(200);
      const publicKeyRaw = new Uint8Array(Buffer.from(key.body.publicKey as string, 'base64'));
      expect(verifyTreeHeadSignature(head, publicKeyRaw)).toEqual({ ok: true });

      // The head's tree holds every event up to the statement's ledger position: the last of them included.
      const ledgerPosition = res.body.ledgerPosition as number;
      const inclusion = await e2e
        .http()
        .get(`/evidence/inclusion-proof?globalPosition=${ledgerPosition}&treeSize=${head.treeSize}`)
        .expect(200);
      expect(inclusion.body).toMatchObject({ treeSize: head.treeSize, rootHash: head.rootHash, globalPosition: ledgerPosition });
      expect(
        verifyInclusion({
          leafIndex: inclusion.body.leafIndex,
          treeSize: head.treeSize,
          leafHash: eventLeafHash(inclusion.body.eventHash as string),
          proof: (inclusion.body.proof as string[]).map(hexToBytes),
          rootHash: hexToBytes(head.rootHash),
        }),
      ).toEqual({ ok: true });
      // The first seizure's recording, from its trail, is in that tree too.
      const trail = await e2e
        .http()
        .get(`/seizures/${first}/events`)
        .set('Authorization', `Bearer ${e2e.tokenFor(actors.flyingSquad)}`)
        .expect(200);
      await e2e
        .http()
        .get(`/evidence/inclusion-proof?eventHash=${trail.body.events[0].hash as string}&treeSize=${head.treeSize}`)
        .expect(200);

      const csv = await read('/statements/seizures?date=2024-04-19&groupBy=district&format=csv', actors.flyingSquad);
      const lines = csv.text.replace(/^\uFEFF/, '').split('\r\n');
      const [, logId, treeSize, rootHash, timestamp, signature, , , keyId] = lines[lines.indexOf('') + 2].split(',');
      const csvHead: SignedTreeHead = { logId, keyId, treeSize: Number(treeSize), rootHash, timestamp, signature };
      expect(csvHead.treeSize).toBeGreaterThanOrEqual(inclusion.body.leafIndex + 1);
      expect(verifyTreeHeadSignature(csvHead, publicKeyRaw)).toEqual({ ok: true });
    });

    it('defaults to today in IST, by state', async () => {
      const res = await read('/statements/seizures', actors.committee);
      expect(res.body).toMatchObject({
        date: '2024-04-20',
        groupBy: 'state',
        total: { day: { seizures: 1 }, cumulative: { seizures: 2 } },
      });
    });

    it('answers CSV for format=csv or Accept: text/csv', async () => {
      const byParam = await read('/statements/seizures?date=2024-04-19&groupBy=district&format=csv', actors.flyingSquad);
      expect(byParam.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
      expect(byParam.headers['content-disposition']).toBe('attachment; filename="seizure-statement-2024-04-19-by-district.csv"');
      const lines = byParam.text.replace(/^\uFEFF/, '').split('\r\n');
      expect(lines[0]).toMatch(/^date,period,level,state,district,constituency,seizures,cash_rupees,cash_paise,/);
      expect(lines[1]).toMatch(/^2024-04-19,day,district,UP,UP-VNS,,1,1250000\.00,125000000,48\.000,48000,48000\.00,4800000,/);
      // header, place and total for each period, an empty line, the tree head's header and row, and the final CRLF
      expect(lines).toHaveLength(9);
      expect(lines.slice(5, 7)).toEqual(['', 'ledger_tree_head,logId,treeSize,rootHash,timestamp,signature,publicKeyUrl,note,keyId']);
      expect(lines[7]).toMatch(/^signed,[0-9a-f]{64},\d+,[0-9a-f]{64},[^,]+Z,[A-Za-z0-9+/=]+,\/evidence\/public-key,,[0-9a-f]{64}$/);

      const byAccept = await read('/statements/seizures?date=2024-04-19&groupBy=district', actors.flyingSquad, 200, 'text/csv');
      expect(byAccept.headers['content-type']).toMatch(/^text\/csv/);
      expect(byAccept.headers.vary).toMatch(/Accept/);
      expect(byAccept.text).toBe(byParam.text);
    });

    it('shows nothing of places outside the caller’s jurisdiction', async () => {
      const res = await read('/statements/seizures?date=2024-04-20&groupBy=district', actors.outOfDistrict);
      expect(res.body.rows).toEqual([]);
      expect(res.body.total.cumulative.totalValuePaise).toBe(0);
    });

    it('refuses malformed parameters with a problem naming each', async () => {
      const res = await read('/statements/seizures?date=2024-02-30&groupBy=county&colour=red', actors.flyingSquad, 400);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['colour', 'date', 'groupBy']);
    });
  });

  describe('GET /treasuries/…/reconciliation', () => {
    it('matches the cash handed over, accepted and deposited, with the mismatches and the unconfirmed deposit', async () => {
      const res = await read('/treasuries/reconciliation', actors.treasuryOfficer);
      expect(res.body.treasuries).toHaveLength(1);
      const [vns] = res.body.treasuries;
      expect(vns).toMatchObject({
        treasury: { id: 'TR-VNS', name: 'District Treasury Varanasi' },
        handedOver: { transfers: 1, paise: 125_000_000 },
        accepted: { transfers: 1, paise: 124_950_000 },
        deposited: { challans: 1, paise: 124_950_000 },
        confirmed: { challans: 0, paise: 0 },
        pendingConfirmation: {
          challans: 1,
          paise: 124_950_000,
          byAge: { under24h: { challans: 1 } },
          deposits: [{ challanNumber: 'CH-88', seizureId: first, age: 'under24h' }],
        },
      });
      expect(vns.mismatches.map((m: { kind: string; reference: string }) => [m.kind, m.reference])).toEqual([
        ['count_differs', cashTransfer],
        ['deposit_amount_differs', 'CH-88'],
      ]);

      const one = await read('/treasuries/TR-VNS/reconciliation', actors.committee);
      expect(one.body).toMatchObject({ treasury: { id: 'TR-VNS' }, accepted: { paise: 124_950_000 } });
      expect(one.body.ledgerPosition).toBe(res.body.ledgerPosition);
    });

    it('keeps a treasury-only user to their own treasury, and does not reveal others', async () => {
      const mine = await read('/treasuries/TR-LKO/reconciliation', actors.treasuryOfficer, 403);
      expect(mine.body.type).toMatch(/\/not-your-treasury$/);
      const unknown = await read('/treasuries/TR-LKO/reconciliation', actors.committee, 404);
      expect(unknown.body.type).toMatch(/\/treasury-not-found$/);
      await read('/treasuries/TR-VNS/reconciliation', actors.outOfDistrict, 404);
      await read('/treasuries/not%20an%20id/reconciliation', actors.committee, 400);
    });
  });

  describe('GET /deadlines', () => {
    it('lists what is overdue now, and with includeUpcoming what falls due within 48 hours', async () => {
      // 06:00 UTC on the 20th: the first seizure's Income Tax referral was due at 05:30.
      const now = await read('/deadlines', actors.committee);
      expect(now.body.deadlines.map((d: { kind: string; seizureId: string }) => [d.kind, d.seizureId])).toEqual([
        ['income_tax_referral', first],
      ]);
      expect(now.body.deadlines[0]).toMatchObject({
        status: 'overdue',
        dueAt: '2024-04-20T05:30:00.000Z',
        overdueBy: { seconds: 1800, text: '30 minutes' },
      });

      const soon = await read('/deadlines?includeUpcoming=true', actors.committee);
      expect(soon.body.deadlines.map((d: { kind: string; status: string }) => [d.kind, d.status])).toEqual([
        ['income_tax_referral', 'overdue'],
        ['income_tax_referral', 'upcoming'],
        ['transfer_acceptance', 'upcoming'],
      ]);
    });

    it('judges against the clock at the time of asking', async () => {
      e2e.clock.advance(25 * HOUR);
      const later = await read('/deadlines?kind=transfer_acceptance', actors.committee);
      expect(later.body.asOf).toBe('2024-04-21T07:00:00.000Z');
      expect(later.body.deadlines).toMatchObject([
        {
          kind: 'transfer_acceptance',
          seizureId: second,
          transferId: liquorTransfer,
          status: 'overdue',
          overdueBy: { seconds: 3600, text: '1 hour' },
          to: custodians.malkhana,
        },
      ]);
      expect((await read('/deadlines', actors.outOfDistrict)).body.deadlines).toEqual([]);
      await read('/deadlines?includeUpcoming=yes', actors.committee, 400);
    });
  });
});
