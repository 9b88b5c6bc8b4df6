import { createSecretKey, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../ledger/sqlite/sqlite-event-store';
import type { Actor } from '../../shared/actor';
import { FixedClock } from '../../shared/clock';
import { isSealedValue } from '../../sealing/commitment';
import { parseEnvelopes } from '../../sealing/envelope';
import { SqliteKeyStore } from '../../sealing/sqlite/sqlite-key-store';
import { NOW, SEIZURE_ID, actors, recordSeizureCommand } from '../../../test/support/custody-fixtures';
import { orderRelease, release } from '../commands/seizure-history.test-support';
import type { SeizureCommand } from '../command';
import { seizureStreamName } from '../events';
import { handleSeizureCommand, loadSeizure } from '../handle-command';
import { KeyStoreSealing, NO_SEALING, SEALING_FORMAT } from './personal-data-sealing';

const clock = new FixedClock(NOW);
const ctx = (actor: Actor = actors.flyingSquad) => ({ actor, now: NOW });
const referral: SeizureCommand = {
  type: 'ReferToIncomeTax',
  data: { referenceNumber: 'IT-1', office: 'ITO Varanasi', remarks: 'over ten lakh' },
};
const clearance: SeizureCommand = { type: 'ClearIncomeTax', data: { clearanceNumber: 'CLR-1', remarks: 'explained' } };

describe('sealing personal data on append and revealing it on load (real SQLite ledger and key store)', () => {
  let dir: string;
  let store: SqliteEventStore;
  let keys: SqliteKeyStore;
  let sealing: KeyStoreSealing;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-sealing-'));
    store = SqliteEventStore.open({ filename: join(dir, 'ledger.sqlite'), clock });
    const kek = { kek: createSecretKey(randomBytes(32)), source: 'PERSONAL_DATA_KEK', created: false } as const;
    keys = SqliteKeyStore.open({ filename: join(dir, 'personal-data-keys.sqlite'), kek, clock });
    sealing = new KeyStoreSealing(keys);
  });
  afterEach(async () => {
    await store.close();
    await keys.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (command: SeizureCommand, actor: Actor = actors.flyingSquad) =>
    handleSeizureCommand(store, SEIZURE_ID, command, ctx(actor), { sealing });

  it('stores commitments in the hashed data, envelopes beside it, and reveals the exact values on load', async () => {
    const command = recordSeizureCommand();
    await run(command);
    const [stored] = await store.readStream(seizureStreamName(SEIZURE_ID));
    const data = stored.data as Record<string, unknown>;
    expect(stored.metadata.sealing).toBe(SEALING_FORMAT);
    expect(isSealedValue(data.seizedFrom)).toBe(true);
    expect((data.witnesses as unknown[]).every(isSealedValue)).toBe(true);
    expect(data.memoNumber).toBe(command.data.memoNumber);
    const envelopes = parseEnvelopes(stored.envelopes as string);
    expect(envelopes.map((e) => e.fieldPath)).toEqual(['/seizedFrom', ...command.data.witnesses.map((_, i) => `/witnesses/${i}`)]);
    // One key per subject: the person seized from and each witness apart.
    expect(new Set(envelopes.map((e) => e.keyId)).size).toBe(1 + command.data.witnesses.length);
    expect(JSON.stringify(stored)).not.toContain(command.data.seizedFrom.name);
    expect((await store.verifyAll()).ok).toBe(true);

    const loaded = await loadSeizure(store, SEIZURE_ID, sealing);
    const revealed = loaded.events[0].data as Record<string, unknown>;
    expect(revealed.seizedFrom).toEqual(command.data.seizedFrom);
    expect(revealed.witnesses).toEqual(command.data.witnesses);
    expect(loaded.stored[0]).toEqual(stored);
    expect(loaded.reveals.get(stored.id)?.map((f) => f.status)).toEqual(envelopes.map(() => 'revealed'));
    // Without the key store the events are read as stored: commitments, never clear values.
    expect((await loadSeizure(store, SEIZURE_ID)).events[0].data).toEqual(stored.data);
  });

  it('marks the keys used after the append, so collecting unused keys destroys none', async () => {
    await run(recordSeizureCommand());
    clock.set('2024-05-20T06:00:00.000Z');
    expect(await keys.collectUnused('2024-05-01T00:00:00.000Z', () => Promise.resolve(new Set()))).toEqual([]);
  });

  it('decides on revealed values: the release recipient must match the order, and both are sealed under one release-recipient key', async () => {
    await run(recordSeizureCommand());
    await run(referral);
    await run(clearance, actors.incomeTax);
    await run(orderRelease(), actors.committee);
    await run(release());
    const stored = await store.readStream(seizureStreamName(SEIZURE_ID));
    const [ordered, released] = ['ReleaseOrdered', 'ItemsReleased'].map((type) => stored.find((e) => e.type === type)!);
    const keyOf = (e: { envelopes?: string }, path: string) =>
      parseEnvelopes(e.envelopes as string).find((x) => x.fieldPath === path)!.keyId;
    expect(keyOf(ordered, '/releaseTo')).toBe(keyOf(released, '/releasedTo'));
    expect(keyOf(ordered, '/reasons')).toBe(keyOf(referredEvent(stored), '/remarks'));
    const tombstoneSubjects = async () => (await keys.tombstonesOf(SEIZURE_ID)).map((t) => t.subject);
    expect(await tombstoneSubjects()).toEqual([]);
    await keys.destroy(SEIZURE_ID, 'release-recipient-1' as never);
    expect(await tombstoneSubjects()).toEqual(['release-recipient-1']);
    const loaded = await loadSeizure(store, SEIZURE_ID, sealing);
    const releasedNow = loaded.events.find((e) => e.type === 'ItemsReleased')!.data as Record<string, unknown>;
    expect(releasedNow.releasedTo).toMatchObject({ erased: true });
    expect((loaded.events[0].data as Record<string, unknown>).seizedFrom).toEqual(recordSeizureCommand().data.seizedFrom);
  });

  it('reads events written in clear before sealing as before, beside sealed ones in the same stream', async () => {
    await handleSeizureCommand(store, SEIZURE_ID, recordSeizureCommand(), ctx(), { sealing: NO_SEALING });
    await run(referral);
    const [clear, sealed] = await store.readStream(seizureStreamName(SEIZURE_ID));
    expect(clear.metadata.sealing).toBeUndefined();
    expect('envelopes' in clear).toBe(false);
    expect(isSealedValue((sealed.data as Record<string, unknown>).remarks)).toBe(true);
    const loaded = await loadSeizure(store, SEIZURE_ID, sealing);
    expect(loaded.events[0]).toEqual(clear);
    expect((loaded.events[1].data as Record<string, unknown>).remarks).toBe('over ten lakh');
    expect(loaded.state.status).toBe('recorded');
  });

  it('leaves no clear personal value in the ledger file', async () => {
    await run(recordSeizureCommand());
    await store.close();
    const files = readdirSync(dir).filter((f) => f.startsWith('ledger.sqlite'));
    for (const f of files) expect(readFileSync(join(dir, f)).includes(Buffer.from('+919800000000'))).toBe(false);
    store = SqliteEventStore.open({ filename: join(dir, 'ledger.sqlite'), clock });
  });
});

const referredEvent = (stored: Array<{ type: string; envelopes?: string }>) => stored.find((e) => e.type === 'ReferredToIncomeTax')!;
