import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/ledger/sqlite/sqlite-event-store';
import { systemClock } from '../../src/shared/clock';
import { describeEventStoreContract } from './event-store.contract';

describeEventStoreContract(
  'SQLite (file on disk, WAL, synchronous=FULL)',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-contract-'));
    const store = SqliteEventStore.open({ filename: join(dir, 'ledger.sqlite'), clock: systemClock, pollIntervalMs: 50 });
    return {
      store,
      cleanup: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  { densePositions: true },
);
