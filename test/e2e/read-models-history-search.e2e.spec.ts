import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { TEST_JWT_SECRET, testToken } from '../../src/auth/auth.test-support';
import { applicationOptions, configureApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/app-config';
import { EVENT_STORE, type EventStore } from '../../src/ledger/event-store';
import { CustodyHistoryHttpController } from '../../src/read-models/custody-history/custody-history.http.controller';
import { custodyHistoryProjection } from '../../src/read-models/custody-history/custody-history.projection';
import {
  CustodyHistoryQuery,
  type CustodyInterval,
  type ItemCustodyHistory,
} from '../../src/read-models/custody-history/custody-history.query';
import { PROJECTIONS } from '../../src/projections/projection';
import { REGISTERED_PROJECTIONS } from '../../src/registered-projections';
import { SeizureSearchHttpController } from '../../src/read-models/seizure-search/seizure-search.http.controller';
import { seizureSearchProjection } from '../../src/read-models/seizure-search/seizure-search.projection';
import { SeizureSearchQuery, type SeizureSearchHit } from '../../src/read-models/seizure-search/seizure-search.query';
import type { Actor } from '../../src/shared/actor';
import { CLOCK, FixedClock } from '../../src/shared/clock';
import { CASH, LIQUOR, actors, custodians, recordSeizureCommand } from '../support/custody-fixtures';

const PROBLEM_JSON = /^application\/problem\+json/;
const HOUR = 3600_000;
const PERSONAL = ['रमेश चंद्र', 'XXXX-XXXX-4321', 'Mohan Lal', 'Shabana Bano', 'Sigra', '+919800000000'];
const text = (res: { body: unknown }): string => JSON.stringify(res.body);

interface App {
  http: () => ReturnType<typeof request>;
  clock: FixedClock;
  store: EventStore;
  close(): Promise<void>;
}

/**
 * The real application, as startE2eApp builds it, with the custody history and seizure search
 * projections, queries and controllers added the way ReadModelsModule takes read models (its
 * PROJECTIONS list and its controllers) for as long as the module does not list them itself.
 */
async function startApp(): Promise<App> {
  const root = mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
  const config = loadConfig(
    {
      LEDGER_DATA_DIR: join(root, 'data'),
      JWT_SECRET: TEST_JWT_SECRET,
      RATE_LIMIT_BURST_PER_SECOND: '100000',
      RATE_LIMIT_PER_MINUTE: '1000000',
    },
    root,
  );
  const clock = new FixedClock('2024-04-20T06:00:00.000Z');
  const ours = [custodyHistoryProjection, seizureSearchProjection];
  const wired = ours.every((p) => REGISTERED_PROJECTIONS.some((r) => r.name === p.name));
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(config)],
    controllers: wired ? [] : [CustodyHistoryHttpController, SeizureSearchHttpController],
    providers: wired ? [] : [CustodyHistoryQuery, SeizureSearchQuery],
  })
    .overrideProvider(PROJECTIONS)
    .useValue([...REGISTERED_PROJECTIONS, ...ours.filter((p) => !REGISTERED_PROJECTIONS.some((r) => r.name === p.name))])
    .overrideProvider(CLOCK)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ ...applicationOptions(config), logger: false });
  configureApp(app, config);
  await app.init();
  return {
    http: () => request(app.getHttpServer()),
    clock,
    store: app.get<EventStore>(EVENT_STORE),
    close: async () => {
      await app.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * Custody history, timeline and search over HTTP, fed by the real projector from commands sent
 * through the API. Every read passes the position of the last write as minPosition.
 *
 * Varanasi: seizure A (cash and liquor) hands its cash to the treasury; its liquor is refused by
 * the malkhana once and offered again, never answered. Seizure B (liquor) stays with the team.
 * Lucknow: seizure C, outside the Varanasi officers' scope.
 */
describe('custody history and seizure search over HTTP (e2e, SQLite)', () => {
  let app: App;
  const A = randomUUID();
  const B = randomUUID();
  const C = randomUUID();
  const cashTransfer = randomUUID();
  const refused = randomUUID();
  const unanswered = randomUUID();
  const lucknow: Actor = actors.outOfDistrict;

  const lastPosition = async () => (await app.store.health()).lastGlobalPosition ?? 0;
  const post = (path: string, actor: Actor, body: object) =>
    app
      .http()
      .post(path)
      .set('Authorization', `Bearer ${testToken({ ...actor, ttlSeconds: 3600 })}`)
      .send(body);
  const read = async (path: string, actor: Actor, status = 200) => {
    const minPosition = await lastPosition();
    return app
      .http()
      .get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${minPosition}`)
      .set('Authorization', `Bearer ${testToken({ ...actor, ttlSeconds: 3600 })}`)
      .expect(status);
  };

  beforeAll(async () => {
    app = await startApp();
    const lucknowPlace = {
      ...recordSeizureCommand().data.location,
      district: 'UP-LKO',
      assemblyConstituency: 173,
      parliamentaryConstituency: 35,
    };
    await post(
      '/seizures',
      actors.flyingSquad,
      recordSeizureCommand({ seizureId: A, memoNumber: 'FS3/VNS/2024/201', seizedAt: '2024-04-19T05:30:00.000Z' }).data,
    ).expect(201);
    const liquorOnly = recordSeizureCommand().data.items.filter((i) => i.itemId === LIQUOR);
    await post(
      '/seizures',
      actors.flyingSquad,
      recordSeizureCommand({
        seizureId: B,
        memoNumber: 'FS3/VNS/2024/202',
        seizedAt: '2024-04-18T10:00:00.000Z',
        vehicleNumber: 'UP65CD9999',
        items: liquorOnly,
      }).data,
    ).expect(201);
    await post(
      '/seizures',
      lucknow,
      recordSeizureCommand({
        seizureId: C,
        memoNumber: 'FS1/LKO/2024/1',
        seizedAt: '2024-04-19T12:00:00.000Z',
        location: lucknowPlace,
        vehicleNumber: null,
      }).data,
    ).expect(201);

    app.clock.advance(HOUR);
    await post(`/seizures/${A}/transfers`, actors.flyingSquad, {
      transferId: cashTransfer,
      itemIds: [CASH],
      to: custodians.treasury,
      sealNumbers: ['S-1001'],
      reason: 'to the treasury',
    }).expect(200);
    app.clock.advance(HOUR);
    await post(`/seizures/${A}/transfers/${cashTransfer}/accept`, actors.treasuryOfficer, {
      seals: [{ number: 'S-1001', condition: 'intact' }],
      countedQuantities: [{ itemId: CASH, quantity: 125_000_000 }],
      remarks: 'counted by machine',
    }).expect(200);
    app.clock.advance(HOUR);
    await post(`/seizures/${A}/transfers`, actors.flyingSquad, {
      transferId: refused,
      itemIds: [LIQUOR],
      to: custodians.malkhana,
      sealNumbers: ['S-1002', 'S-1003'],
      reason: 'case property',
    }).expect(200);
    await post(`/seizures/${A}/transfers/${refused}/reject`, actors.malkhana, { reason: 'no space today' }).expect(200);
    app.clock.advance(HOUR);
    await post(`/seizures/${A}/transfers`, actors.flyingSquad, {
      transferId: unanswered,
      itemIds: [LIQUOR],
      to: custodians.malkhana,
      sealNumbers: ['S-1002', 'S-1003'],
      reason: 'case property, again',
    }).expect(200);
  });

  afterAll(async () => {
    await app.close();
  });

  describe('GET /seizures/:id/custody-history, /items/:itemId/custody-history, /timeline', () => {
    it('gives each item its intervals, proven by event hashes the trail confirms, tiling time', async () => {
      const res = await read(`/seizures/${A}/custody-history`, actors.treasuryOfficer);
      expect(res.headers['x-read-model-position']).toBeDefined();
      const trail = await read(`/seizures/${A}/events`, actors.court);
      const hashAt = new Map<number, string>(
        trail.body.events.map((e: { globalPosition: number; hash: string }) => [e.globalPosition, e.hash]),
      );

      const items = Object.fromEntries(res.body.items.map((i: ItemCustodyHistory) => [i.itemId, i])) as Record<string, ItemCustodyHistory>;
      const cash = items[CASH];
      expect(cash.intervals.map((i) => [i.custodian.id, i.from, i.to, i.transferId])).toEqual([
        ['FS-VNS-03', '2024-04-19T05:30:00.000Z', '2024-04-20T08:00:00.000Z', null],
        ['TR-VNS', '2024-04-20T08:00:00.000Z', null, cashTransfer],
      ]);
      expect(cash.intervals[1]).toMatchObject({
        handedOverSeals: ['S-1001'],
        sealsFound: [{ number: 'S-1001', condition: 'intact' }],
        // Free text that may name a person: withheld from the treasury, shown to a court.
        remarks: { redacted: true },
        endedBy: null,
      });
      const asCourt = await read(`/seizures/${A}/items/${CASH}/custody-history`, actors.court);
      expect(asCourt.body.intervals[1].remarks).toBe('counted by machine');
      expect(cash.intervals[1].proofs.map((p) => p.type)).toEqual(['CustodyTransferInitiated', 'CustodyTransferAccepted']);
      for (const interval of Object.values(items).flatMap((i) => i.intervals)) {
        for (const proof of interval.proofs) expect(hashAt.get(proof.globalPosition)).toBe(proof.hash);
      }
      for (const item of Object.values(items)) {
        item.intervals.forEach((interval: CustodyInterval, i: number) => {
          if (i + 1 < item.intervals.length) expect(interval.to).toBe(item.intervals[i + 1].from);
        });
        expect(item.gaps).toEqual([]);
      }

      const liquor = items[LIQUOR];
      expect(liquor.currentCustodian).toEqual(custodians.flyingSquad);
      expect(liquor.transfersNeverAccepted.map((t) => [t.transferId, t.status, t.initiatedAt, t.rejectionReason])).toEqual([
        [refused, 'rejected', '2024-04-20T09:00:00.000Z', { redacted: true, reason: expect.any(String) }],
        [unanswered, 'open', '2024-04-20T10:00:00.000Z', null],
      ]);
      expect(res.body.transfersNeverAccepted).toHaveLength(2);
    });

    it('reads one item, and names what does not exist or is out of scope', async () => {
      const cash = await read(`/seizures/${A}/items/${CASH}/custody-history`, actors.auditor);
      expect(cash.body).toMatchObject({
        seizureId: A,
        memoNumber: 'FS3/VNS/2024/201',
        itemId: CASH,
        category: 'cash',
        disposition: 'held',
        currentCustodian: custodians.treasury,
      });

      const unknownItem = await read(`/seizures/${A}/items/item-nope/custody-history`, actors.flyingSquad, 404);
      expect(unknownItem.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(unknownItem.body.type).toMatch(/\/unknown-item$/);
      for (const path of [`/seizures/${A}/custody-history`, `/seizures/${A}/items/${CASH}/custody-history`, `/seizures/${A}/timeline`]) {
        const out = await read(path, lucknow, 403);
        expect(out.body.type).toMatch(/\/out-of-scope$/);
      }
      const missing = await read(`/seizures/${randomUUID()}/custody-history`, actors.flyingSquad, 404);
      expect(missing.body.type).toMatch(/\/seizure-not-found$/);
      await read('/seizures/not-a-uuid/timeline', actors.flyingSquad, 400);
      const unknownParameter = await read(`/seizures/${A}/timeline?colour=red`, actors.flyingSquad, 400);
      expect(unknownParameter.body.type).toMatch(/\/validation-failed$/);
    });

    it('tells the whole timeline in the trail’s order, each with actor, time, a summary and its hash, and no personal data', async () => {
      const timeline = await read(`/seizures/${A}/timeline`, actors.treasuryOfficer);
      const trail = await read(`/seizures/${A}/events`, actors.court);
      expect(
        timeline.body.events.map((e: { type: string; hash: string; occurredAt: string; actor: { sub: string } }) => [
          e.type,
          e.hash,
          e.occurredAt,
          e.actor.sub,
        ]),
      ).toEqual(
        trail.body.events.map((e: { type: string; hash: string; metadata: { occurredAt: string; actor: { sub: string } } }) => [
          e.type,
          e.hash,
          e.metadata.occurredAt,
          e.metadata.actor.sub,
        ]),
      );
      // The summary quotes no free text, for anyone; the reason comes apart, only to readers of personal data.
      expect(timeline.body.events[4]).toMatchObject({
        type: 'CustodyTransferRejected',
        summary: expect.stringMatching(/^Handover .* rejected by Excise malkhana Varanasi/),
        personalData: { reason: { redacted: true } },
      });
      expect(text(timeline)).not.toContain('no space today');
      const asCourt = await read(`/seizures/${A}/timeline`, actors.court);
      expect(asCourt.body.events[4]).toMatchObject({
        summary: timeline.body.events[4].summary,
        personalData: { reason: 'no space today' },
      });
      for (const personal of PERSONAL) expect(text(timeline)).not.toContain(personal);
    });
  });

  describe('GET /seizures', () => {
    const hits = (res: { body: { items: SeizureSearchHit[] } }) => res.body.items.map((h) => h.seizureId);

    it('lists the caller’s seizures, newest first, with status, totals and no personal data', async () => {
      const res = await read('/seizures', actors.court);
      expect(hits(res)).toEqual([C, A, B]);
      const mine = await read('/seizures', actors.flyingSquad);
      expect(hits(mine)).toEqual([A, B]);
      expect(mine.body.nextCursor).toBeNull();
      expect(mine.body.items[0]).toMatchObject({
        seizureId: A,
        memoNumber: 'FS3/VNS/2024/201',
        status: 'in_transfer',
        categories: ['cash', 'liquor'],
        totalValuePaise: 129_800_000,
        items: { held: 1, inTransfer: 1, released: 0, disposed: 0 },
      });
      const text = JSON.stringify([res.body, mine.body]);
      for (const personal of PERSONAL) expect(text).not.toContain(personal);
    });

    it('filters, and returns an empty page for a district outside the caller’s scope', async () => {
      expect(hits(await read('/seizures?status=held', actors.flyingSquad))).toEqual([B]);
      expect(hits(await read('/seizures?category=cash', actors.flyingSquad))).toEqual([A]);
      expect(hits(await read('/seizures?vehicleNumber=up65cd9999', actors.flyingSquad))).toEqual([B]);
      expect(hits(await read('/seizures?memoNumber=fs3/vns/2024/201', actors.flyingSquad))).toEqual([A]);
      expect(hits(await read('/seizures?seizedAtFrom=2024-04-19&seizedAtTo=2024-04-19', actors.flyingSquad))).toEqual([A]);
      expect(hits(await read('/seizures?minValuePaise=10000000&state=UP&assemblyConstituency=390', actors.flyingSquad))).toEqual([A]);
      const outside = await read('/seizures?district=UP-LKO', actors.flyingSquad);
      expect(outside.body).toEqual({ items: [], nextCursor: null });
      expect(hits(await read('/seizures?district=UP-LKO', lucknow))).toEqual([C]);
      expect(hits(await read('/seizures', lucknow))).toEqual([C]);
    });

    it('pages with an opaque cursor, sorted by value ascending', async () => {
      const first = await read('/seizures?sort=value&order=asc&limit=1', actors.flyingSquad);
      expect(hits(first)).toEqual([B]);
      expect(first.body.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
      const second = await read(`/seizures?sort=value&order=asc&limit=1&cursor=${first.body.nextCursor}`, actors.flyingSquad);
      expect(hits(second)).toEqual([A]);
      expect(second.body.nextCursor).toBeNull();
      const otherSort = await read(`/seizures?sort=seizedAt&order=asc&limit=1&cursor=${first.body.nextCursor}`, actors.flyingSquad, 400);
      expect(otherSort.body.errors).toEqual([{ field: 'cursor', reason: expect.stringContaining('another sort') }]);
    });

    it('refuses bad parameters with 400 naming the field', async () => {
      const cases: Array<[string, string]> = [
        ['limit=0', 'limit'],
        ['limit=201', 'limit'],
        ['limit=ten', 'limit'],
        ['status=lost', 'status'],
        ['category=gold', 'category'],
        ['sort=name', 'sort'],
        ['order=up', 'order'],
        ['district=varanasi', 'district'],
        ['assemblyConstituency=x', 'assemblyConstituency'],
        ['minValuePaise=1.5', 'minValuePaise'],
        ['seizedAtFrom=yesterday', 'seizedAtFrom'],
        ['seizedAtTo=2024-02-30', 'seizedAtTo'],
        ['cursor=%25%25', 'cursor'],
        ['minValuePaise=10&maxValuePaise=5', 'minValuePaise'],
        ['seizedAtFrom=2024-04-20&seizedAtTo=2024-04-19', 'seizedAtFrom'],
        ['colour=red', 'colour'],
      ];
      for (const [query, field] of cases) {
        const res = await read(`/seizures?${query}`, actors.flyingSquad, 400);
        expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
        expect(res.body.type).toMatch(/\/validation-failed$/);
        expect({ query, fields: res.body.errors.map((e: { field: string }) => e.field) }).toEqual({
          query,
          fields: expect.arrayContaining([field]),
        });
      }
    });
  });
});
