import { createSecretKey, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CASH, LIQUOR, actors, recordSeizureCommand } from '../../test/support/custody-fixtures';
import { DEFAULT_RETENTION } from '../config/retention-settings';
import type { SeizureCommand } from '../custody/command';
import { seizureStreamName } from '../custody/events';
import { handleSeizureCommand } from '../custody/handle-command';
import { KeyStoreSealing, type PersonalDataSealing } from '../custody/sealing/personal-data-sealing';
import { SqliteEventStore } from '../ledger/sqlite/sqlite-event-store';
import type { DueErasure } from '../read-models/retention/retention.query';
import { SqliteKeyStore } from '../sealing/sqlite/sqlite-key-store';
import { SUBJECTS } from '../sealing/subjects';
import type { Actor } from '../shared/actor';
import { FixedClock } from '../shared/clock';
import { RETENTION_ACTOR } from './retention-actor';
import { RetentionWorker, UNUSED_KEY_AGE_MS, type RetentionWorkerDependencies } from './retention-worker';

const SMALL_CASH = recordSeizureCommand().data.items.map((i) =>
  i.itemId === CASH ? { ...i, quantity: 4_000_000, estimatedValuePaise: 4_000_000 } : i,
);
const PERSON = { name: 'रमेश चंद्र', idDocument: { type: 'aadhaar', number: 'XXXX-XXXX-4321' } };

describe('retention worker (SQLite store and key store)', () => {
  let dir: string;
  let clock: FixedClock;
  let store: SqliteEventStore;
  let keys: SqliteKeyStore;
  let sealing: PersonalDataSealing;
  const logged: string[] = [];
  const logger = {
    log: (m: string) => logged.push(`log ${m}`),
    warn: (m: string) => logged.push(`warn ${m}`),
    error: (m: string) => logged.push(`error ${m}`),
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-retention-'));
    clock = new FixedClock('2024-04-20T06:00:00.000Z');
    store = SqliteEventStore.open({ filename: join(dir, 'ledger.sqlite'), clock });
    keys = SqliteKeyStore.open({
      filename: join(dir, 'keys.sqlite'),
      kek: { kek: createSecretKey(randomBytes(32)), source: 'PERSONAL_DATA_KEK', created: false },
      clock,
    });
    sealing = new KeyStoreSealing(keys);
    logged.length = 0;
  });
  afterEach(async () => {
    await store.close();
    await keys.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (seizureId: string, command: SeizureCommand, actor: Actor) =>
    handleSeizureCommand(store, seizureId, command, { actor, now: clock.now() }, { sealing });

  async function releasedSeizure(): Promise<string> {
    const seizureId = randomUUID();
    await run(seizureId, recordSeizureCommand({ seizureId, items: SMALL_CASH }), actors.flyingSquad);
    await run(
      seizureId,
      {
        type: 'OrderRelease',
        data: { orderNumber: 'DGC-1', orderedOn: '2024-04-20', itemIds: [CASH, LIQUOR], releaseTo: PERSON, reasons: 'receipts' },
      },
      actors.committee,
    );
    await run(
      seizureId,
      {
        type: 'ReleaseItems',
        data: { orderNumber: 'DGC-1', itemIds: [CASH, LIQUOR], releasedTo: PERSON, identityChecked: true, remarks: '' },
      },
      actors.flyingSquad,
    );
    return seizureId;
  }

  const due = (seizureId: string, subject: string): DueErasure => ({
    seizureId,
    memoNumber: 'M',
    state: 'UP',
    district: 'UP-VNS',
    constituency: 390,
    subject,
    clockStartsAt: '2024-04-20T06:00:00.000Z',
    category: 'witness',
    retentionDays: 365,
    dueDay: '2025-04-22',
    dueAt: '2025-04-21T18:30:00.000Z',
  });

  const worker = (overrides: Partial<RetentionWorkerDependencies> = {}) =>
    new RetentionWorker({
      store,
      sealing,
      keys,
      retention: { dueBy: () => [], erasuresAfter: () => [] },
      clock,
      config: DEFAULT_RETENTION,
      logger,
      ...overrides,
    });

  it('erases each due seizure as system:retention, and one seizure’s failure does not stop the next', async () => {
    const held = randomUUID();
    await run(held, recordSeizureCommand({ seizureId: held }), actors.flyingSquad);
    const released = await releasedSeizure();
    // The read model lagged: the first seizure's items are still held, decide refuses it.
    const dueNow = [due(held, 'witness-1'), due(released, 'witness-1'), due(released, 'witness-2')];
    const pass = await worker({ retention: { dueBy: () => dueNow, erasuresAfter: () => [] } }).runOnce();

    expect(pass).toMatchObject({ erased: 1, failed: 1 });
    expect(logged.filter((l) => l.startsWith('error'))).toEqual([expect.stringContaining(`automatic erasure of seizure ${held} failed`)]);
    const erasure = (await store.readStream(seizureStreamName(released))).at(-1);
    expect(erasure).toMatchObject({
      type: 'PersonalDataErased',
      data: { legalBasis: 'retention_period_ended', orderReference: 'retention:witness:365d', courtOrder: null },
      metadata: { actor: { sub: RETENTION_ACTOR.sub, roles: ['admin'] } },
    });
    // Destroyed at the same instant: ordered by subject here, as the store orders them by key id.
    expect((await keys.tombstonesOf(released)).map((t) => [t.subject, t.erasure?.orderReference]).sort()).toEqual([
      ['witness-1', 'retention:witness:365d'],
      ['witness-2', 'retention:witness:365d'],
    ]);
    expect(await store.readStream(seizureStreamName(held)).then((events) => events.map((e) => e.type))).toEqual(['SeizureRecorded']);
  });

  it('records nothing with RETENTION_AUTO_ERASE=false', async () => {
    const released = await releasedSeizure();
    const before = (await store.health()).lastGlobalPosition;
    const pass = await worker({
      config: { ...DEFAULT_RETENTION, autoErase: false },
      retention: { dueBy: () => [due(released, 'witness-1')], erasuresAfter: () => [] },
    }).runOnce();
    expect(pass).toMatchObject({ erased: 0, failed: 0 });
    expect((await store.health()).lastGlobalPosition).toBe(before);
  });

  it('carries an erasure that answered pending out again on the next pass, until it is done', async () => {
    const released = await releasedSeizure();
    await run(
      released,
      {
        type: 'ErasePersonalData',
        data: { subjects: ['seized-from'], legalBasis: 'data_principal_request', orderReference: 'REQ-1', courtOrder: null },
      },
      actors.admin,
    );
    const answers = ['pending', 'pending', 'done'] as const;
    const shredded: string[] = [];
    const flaky: PersonalDataSealing = {
      ...sealing,
      shred: async (seizureId, erasure) => {
        shredded.push(erasure.orderReference);
        await sealing.shred(seizureId, erasure);
        return answers[shredded.length - 1];
      },
    };
    const w = worker({ sealing: flaky });
    expect(await w.carryOutRecordedErasures()).toMatchObject({ carriedOutAgain: 1, stillPending: 1 });
    expect(await w.runOnce()).toMatchObject({ carriedOutAgain: 1, stillPending: 1 });
    expect(await w.runOnce()).toMatchObject({ carriedOutAgain: 1, stillPending: 0 });
    expect(await w.runOnce()).toMatchObject({ carriedOutAgain: 0, stillPending: 0 });
    expect(shredded).toEqual(['REQ-1', 'REQ-1', 'REQ-1']);
  });

  it('collects the old keys no stored event uses, and keeps those an event uses though never marked used', async () => {
    const seizureId = randomUUID();
    const orphan = await keys.keyFor(seizureId, SUBJECTS.witness(9));
    // Appended, then the process stopped before markUsed.
    const command = recordSeizureCommand({ seizureId });
    const sealed = await sealing.seal(
      seizureId,
      [],
      [
        {
          id: randomUUID(),
          type: 'SeizureRecorded',
          data: JSON.parse(JSON.stringify(command.data)),
          metadata: { actor: { sub: 'u' }, occurredAt: clock.now() },
        },
      ],
    );
    await store.appendToStream(seizureStreamName(seizureId), sealed.events, { expectedRevision: 'no_stream' });
    // A personal attachment's content key is named in its event's data, never in envelopes.
    const scanKey = await keys.keyFor(seizureId, SUBJECTS.witness(5));
    const scan = { sha256: 'c'.repeat(64), sizeBytes: 9, mediaType: 'image/jpeg', fileName: 'id.jpg', description: '' };
    await store.appendToStream(
      seizureStreamName(seizureId),
      [
        {
          id: randomUUID(),
          type: 'AttachmentAdded',
          data: { ...scan, personalDataOf: 'witness-5', contentKeyId: scanKey.keyId },
          metadata: {},
        },
      ],
      { expectedRevision: 0 },
    );

    expect(await worker().collectUnusedKeys()).toBe(0); // too young yet
    clock.advance(UNUSED_KEY_AGE_MS + 1000);
    expect(await worker().collectUnusedKeys()).toBe(1);
    expect((await keys.tombstonesOf(seizureId)).map((t) => [t.keyId, t.reason])).toEqual([[orphan.keyId, 'unused']]);
    const lookup = await keys.lookup(sealed.keyIds);
    expect(sealed.keyIds.map((id) => lookup(id).status)).toEqual(sealed.keyIds.map(() => 'available'));
    expect((await keys.lookup([scanKey.keyId]))(scanKey.keyId).status).toBe('available');
    expect(await worker().collectUnusedKeys()).toBe(0);
  });
});
