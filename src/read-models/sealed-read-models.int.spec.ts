import { createSecretKey, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { KeyStoreSealing } from '../custody/sealing/personal-data-sealing';
import { handleSeizureCommand } from '../custody/handle-command';
import { REDACTED } from '../custody/personal-data';
import { transfer } from '../custody/commands/seizure-history.test-support';
import { SqliteEventStore } from '../ledger/sqlite/sqlite-event-store';
import { ProjectorLock } from '../projections/projector-lock';
import { openReadModelDatabase } from '../projections/read-model-database';
import { rebuildProjections } from '../projections/rebuild';
import { SqliteKeyStore } from '../sealing/sqlite/sqlite-key-store';
import { SUBJECTS } from '../sealing/subjects';
import type { Actor } from '../shared/actor';
import { FixedClock } from '../shared/clock';
import { NOW, SEIZURE_ID, actors, recordSeizureCommand } from '../../test/support/custody-fixtures';
import { custodyHistoryProjection } from './custody-history/custody-history.projection';
import { CustodyHistoryQuery } from './custody-history/custody-history.query';
import { transferInboxProjection } from './transfer-inbox/transfer-inbox.projection';
import { TransferInboxQuery } from './transfer-inbox/transfer-inbox.query';
import { revealSealedCells } from './sealed-cells';

const CLEAR_VALUES = ['+919800000000', 'Sigra, Varanasi', 'case property'];

describe('read models of sealed events: no clear personal value stored, revealed at query time for permitted roles', () => {
  let dir: string;
  let store: SqliteEventStore;
  let keys: SqliteKeyStore;
  let db: Database;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-sealed-rm-'));
    const clock = new FixedClock(NOW);
    store = SqliteEventStore.open({ filename: join(dir, 'ledger.sqlite'), clock });
    const kek = { kek: createSecretKey(randomBytes(32)), source: 'PERSONAL_DATA_KEK', created: false } as const;
    keys = SqliteKeyStore.open({ filename: join(dir, 'personal-data-keys.sqlite'), kek, clock });
    const sealing = new KeyStoreSealing(keys);
    const run = (command: Parameters<typeof handleSeizureCommand>[2], actor: Actor) =>
      handleSeizureCommand(store, SEIZURE_ID, command, { actor, now: NOW }, { sealing });
    await run(recordSeizureCommand(), actors.flyingSquad);
    await run(transfer(), actors.flyingSquad);
    db = openReadModelDatabase({ dataDir: dir, eventStoreConnectionString: undefined });
    const lock = new ProjectorLock(db, 'rebuild');
    lock.tryAcquire();
    await rebuildProjections(db, store, [custodyHistoryProjection, transferInboxProjection], { lock });
    lock.release();
  });
  afterEach(async () => {
    db.close();
    await store.close();
    await keys.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps no clear personal value in any file of the data dir', () => {
    db.pragma('wal_checkpoint(TRUNCATE)');
    // The search can fail: what is not personal data (the recipient custodian's name) is found.
    expect(readdirSync(dir).some((file) => readFileSync(join(dir, file)).includes(Buffer.from('Excise malkhana Varanasi')))).toBe(true);
    for (const file of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, file));
      for (const value of CLEAR_VALUES) expect({ file, found: bytes.includes(Buffer.from(value)) }).toEqual({ file, found: false });
    }
  });

  it('reveals the values to an officer and keeps withholding them from a custodian', async () => {
    const history = new CustodyHistoryQuery(db);
    const forOfficer = await revealSealedCells(history.timeline(actors.flyingSquad, SEIZURE_ID), keys);
    expect(forOfficer.events[0].personalData).toEqual({
      seizedFrom: recordSeizureCommand().data.seizedFrom,
      witnesses: recordSeizureCommand().data.witnesses,
    });
    const transfers = await revealSealedCells(history.seizureHistory(actors.flyingSquad, SEIZURE_ID), keys);
    expect(transfers.transfersNeverAccepted.map((t) => t.reason)).toEqual(['case property']);

    const inbox = new TransferInboxQuery(db).inbox(actors.malkhana, { status: 'pending', limit: 10 });
    expect(inbox.items.map((t) => t.reason)).toEqual([REDACTED]);
    expect(history.timeline(actors.malkhana, SEIZURE_ID).events[0].personalData).toEqual({ seizedFrom: REDACTED, witnesses: REDACTED });
  });

  it('shows an erased subject as erased without rebuilding the read model', async () => {
    await keys.destroy(SEIZURE_ID, SUBJECTS.freeText);
    const transfers = await revealSealedCells(new CustodyHistoryQuery(db).seizureHistory(actors.flyingSquad, SEIZURE_ID), keys);
    expect(transfers.transfersNeverAccepted[0].reason).toMatchObject({ erased: true });
  });
});
