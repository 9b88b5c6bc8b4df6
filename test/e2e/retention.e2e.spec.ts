import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seizureStreamName } from '../../src/custody/events';
import { RetentionQuery } from '../../src/read-models/retention/retention.query';
import { RETENTION_ACTOR } from '../../src/retention/retention-actor';
import { RetentionWorker } from '../../src/retention/retention-worker';
import { KEY_STORE_FILENAME } from '../../src/sealing/sealing.module';
import type { Actor } from '../../src/shared/actor';
import { CASH, LIQUOR, actors, recordSeizureCommand } from '../support/custody-fixtures';
import { startE2eApp, type E2eApp } from '../support/e2e-app';

const DAY = 86_400_000;
const SEIZED_FROM_NAME = recordSeizureCommand().data.seizedFrom?.name ?? '';
/** Short periods, so the test moves the clock by weeks, not years: each category its own. */
const RETENTION_ENV = {
  RETENTION_DAYS_SEIZED_FROM: '30',
  RETENTION_DAYS_WITNESS: '10',
  RETENTION_DAYS_RELEASE_RECIPIENT: '30',
  RETENTION_DAYS_FREE_TEXT: '30',
};

function client(e2e: E2eApp) {
  const auth = (actor: Actor) => `Bearer ${e2e.tokenFor(actor)}`;
  return {
    post: (path: string, actor: Actor, body: object) => e2e.http().post(path).set('Authorization', auth(actor)).send(body),
    get: (path: string, actor: Actor) => e2e.http().get(path).set('Authorization', auth(actor)),
  };
}

/** A seizure whose items all went back to the person they were seized from, by the committee's order: no case ever opened. */
async function releasedSeizure(e2e: E2eApp): Promise<string> {
  const { post } = client(e2e);
  const seizureId = randomUUID();
  // Cash under Rs 10 lakh: no Income Tax clearance stands before its release.
  const items = recordSeizureCommand().data.items.map((i) =>
    i.itemId === CASH ? { ...i, quantity: 4_000_000, estimatedValuePaise: 4_000_000 } : i,
  );
  await post('/seizures', actors.flyingSquad, recordSeizureCommand({ seizureId, items }).data).expect(201);
  const recipient = { name: SEIZED_FROM_NAME, idDocument: { type: 'aadhaar', number: 'XXXX-XXXX-4321' } };
  await post(`/seizures/${seizureId}/release-orders`, actors.committee, {
    orderNumber: 'DGC-VNS-9',
    orderedOn: '2024-04-20',
    itemIds: [CASH, LIQUOR],
    releaseTo: recipient,
    reasons: 'business receipts produced',
  }).expect((r) => expect([r.status, r.body.detail]).toEqual([200, undefined]));
  await post(`/seizures/${seizureId}/releases`, actors.flyingSquad, {
    orderNumber: 'DGC-VNS-9',
    itemIds: [CASH, LIQUOR],
    releasedTo: recipient,
    identityChecked: true,
    remarks: 'released against receipt',
  }).expect((r) => expect([r.status, r.body.detail]).toEqual([200, undefined]));
  return seizureId;
}

/** Waits for the read models to include everything appended so far. */
async function caughtUp(e2e: E2eApp): Promise<void> {
  await client(e2e)
    .get(`/deadlines?minPosition=${await e2e.lastPosition()}`, actors.admin)
    .expect(200);
}

describe('retention of personal data (e2e, SQLite, injected clock)', () => {
  let e2e: E2eApp;

  afterEach(async () => {
    await e2e?.close();
  });

  it('erases by itself, as system:retention, once every case is closed and the period ran out; a seizure with an open case is left alone', async () => {
    e2e = await startE2eApp({ env: RETENTION_ENV, clockStart: '2024-04-20T06:00:00.000Z' });
    const { post, get } = client(e2e);
    const released = await releasedSeizure(e2e);
    const withFir = randomUUID();
    await post('/seizures', actors.flyingSquad, recordSeizureCommand({ seizureId: withFir }).data).expect(201);
    await post(`/seizures/${withFir}/firs`, actors.police, {
      firNumber: '118/2024',
      policeStation: 'Cantt',
      registeredOn: '2024-04-20',
      sections: ['BNS 173'],
    }).expect(200);
    await caughtUp(e2e);

    const retention = e2e.app.get(RetentionQuery);
    expect(retention.seizure(withFir)).toMatchObject({ status: 'not-started', clockStartsAt: null });
    expect(retention.seizure(withFir)?.subjects.every((s) => s.erasable && s.due === null)).toBe(true);
    const running = retention.seizure(released);
    expect(running).toMatchObject({ status: 'running', clockStartsAt: '2024-04-20T06:00:00.000Z' });
    expect(running?.subjects.find((s) => s.subject === 'witness-1')?.due).toMatchObject({ dueDay: '2024-05-01', retentionDays: 10 });
    expect(running?.subjects.find((s) => s.subject === 'seized-from')?.due).toMatchObject({ dueDay: '2024-05-21', retentionDays: 30 });

    // Nine days on, the witnesses fall due within the deadline watch's 30 days ahead, not yet overdue.
    e2e.clock.advance(9 * DAY);
    const soon = await get('/deadlines?includeUpcoming=true&kind=personal_data_erasure', actors.auditor).expect(200);
    expect(
      soon.body.deadlines.map((d: { subject: string; status: string; seizureId: string }) => [d.seizureId, d.subject, d.status]),
    ).toEqual([
      [released, 'witness-1', 'upcoming'],
      [released, 'witness-2', 'upcoming'],
      ...['free-text', 'release-recipient-1', 'seized-from'].map((subject) => [released, subject, 'upcoming']),
    ]);
    expect(JSON.stringify(soon.body)).not.toContain(SEIZED_FROM_NAME);

    const worker = e2e.app.get(RetentionWorker);
    expect(await worker.runOnce()).toMatchObject({ erased: 0, failed: 0 });

    e2e.clock.set('2024-05-21T00:00:00.000Z'); // 05:30 IST on 21 May: every period has run out
    const overdue = await get('/deadlines?kind=personal_data_erasure', actors.committee).expect(200);
    expect(overdue.body.deadlines).toHaveLength(5);
    expect(overdue.body.deadlines[0]).toMatchObject({ kind: 'personal_data_erasure', status: 'overdue', dueDay: '2024-05-01' });

    // A reader of personal data sees the name until the erasure.
    expect(JSON.stringify((await get(`/seizures/${released}`, actors.committee).expect(200)).body)).toContain(SEIZED_FROM_NAME);
    const positionBefore = await e2e.lastPosition();
    const pass = await worker.runOnce();
    // One erasure per retention rule (category and period), each naming its rule.
    expect(pass).toMatchObject({ erased: 4, failed: 0 });
    const erasures = (await e2e.store.readStream(seizureStreamName(released))).filter((e) => e.type === 'PersonalDataErased');
    expect(erasures.map((e) => [e.data, (e.metadata.actor as { sub: string }).sub])).toEqual([
      [expect.objectContaining({ legalBasis: 'retention_period_ended', orderReference: 'retention:witness:10d' }), RETENTION_ACTOR.sub],
      [expect.objectContaining({ legalBasis: 'retention_period_ended', orderReference: 'retention:free-text:30d' }), RETENTION_ACTOR.sub],
      [expect.objectContaining({ orderReference: 'retention:release-recipient:30d' }), RETENTION_ACTOR.sub],
      [expect.objectContaining({ orderReference: 'retention:seized-from:30d' }), RETENTION_ACTOR.sub],
    ]);
    expect(await e2e.lastPosition()).toBe(positionBefore + 4);
    // The seizure with an open case is untouched.
    expect((await e2e.store.readStream(seizureStreamName(withFir))).some((e) => e.type === 'PersonalDataErased')).toBe(false);

    const seizure = await get(`/seizures/${released}`, actors.committee).expect(200);
    expect(JSON.stringify(seizure.body)).not.toContain(SEIZED_FROM_NAME);
    expect(JSON.stringify(seizure.body.seizedFrom)).toMatch(/erased/);
    const kept = await get(`/seizures/${withFir}`, actors.committee).expect(200);
    expect(JSON.stringify(kept.body)).toContain(SEIZED_FROM_NAME);

    await caughtUp(e2e);
    expect((await get('/deadlines?kind=personal_data_erasure', actors.committee).expect(200)).body.deadlines).toEqual([]);
    expect(await worker.runOnce()).toMatchObject({ erased: 0, failed: 0 });
  });

  it('carries out a recorded erasure again on start, before requests are served, when the key store was restored from an older copy', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ledger-retention-'));
    const env = { ...RETENTION_ENV, LEDGER_DATA_DIR: join(root, 'data') };
    const keyFiles = [KEY_STORE_FILENAME, `${KEY_STORE_FILENAME}-wal`, `${KEY_STORE_FILENAME}-shm`];
    const copyKeys = (from: string, to: string) => {
      for (const name of keyFiles) {
        rmSync(join(to, name), { force: true });
        if (existsSync(join(from, name))) copyFileSync(join(from, name), join(to, name));
      }
    };
    try {
      e2e = await startE2eApp({ env });
      const seizureId = randomUUID();
      await client(e2e).post('/seizures', actors.flyingSquad, recordSeizureCommand({ seizureId }).data).expect(201);
      await e2e.close();
      // The backup, taken while the key of seized-from was alive.
      const backup = join(root, 'backup');
      mkdirSync(backup);
      copyKeys(join(root, 'data'), backup);

      e2e = await startE2eApp({ env });
      await client(e2e)
        .post(`/seizures/${seizureId}/personal-data-erasures`, actors.admin, {
          subjects: ['seized-from'],
          legalBasis: 'court_order',
          orderReference: 'CJM-VNS-ER-1',
          courtOrder: { court: 'CJM Varanasi', orderNumber: 'ER-1/2024', orderedOn: '2024-04-20' },
        })
        .expect(200);
      await e2e.close();

      copyKeys(backup, join(root, 'data'));
      e2e = await startE2eApp({ env });
      // No pass of the worker, no wait: start-up itself carried the erasure out again.
      const seizure = await client(e2e).get(`/seizures/${seizureId}`, actors.committee).expect(200);
      expect(JSON.stringify(seizure.body.seizedFrom)).toMatch(/erased/);
      expect(JSON.stringify(seizure.body)).not.toContain(SEIZED_FROM_NAME);
      // Only what the erasure named went: the witnesses stay readable.
      expect(JSON.stringify(seizure.body.witnesses)).toContain('Mohan Lal');
    } finally {
      await e2e.close();
      e2e = undefined as unknown as E2eApp;
      rmSync(root, { recursive: true, force: true });
    }
  });
});
