import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import fc from 'fast-check';
import { prepareReadModelSchema } from '../../src/projections/checkpoints';
import { ProjectorLock } from '../../src/projections/projector-lock';
import { READ_MODEL_PROGRESS, type ReadModelProgress } from '../../src/projections/read-model-progress';
import { rebuildProjections } from '../../src/projections/rebuild';
import { READ_MODEL_DB } from '../../src/projections/projection';
import { REGISTERED_PROJECTIONS } from '../../src/registered-projections';
import { openDurableDatabase } from '../../src/platform/sqlite/durable-database';
import { startE2eApp, type E2eApp } from '../support/e2e-app';
import { DISTRICTS, RandomWorkload, type SeizurePlan } from '../support/random-workload';
import { dumpReadModels } from '../support/read-model-dump';

const planArb: fc.Arbitrary<SeizurePlan> = fc.record({
  district: fc.constantFrom(...DISTRICTS),
  items: fc.array(
    fc.record({
      category: fc.constantFrom('cash' as const, 'liquor' as const, 'drugs' as const, 'precious_metals' as const, 'freebies' as const),
      amount: fc.integer({ min: 1, max: 300_000_000 }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  choices: fc.array(fc.nat(), { minLength: 2, maxLength: 14 }),
});

interface Interval {
  from: string;
  to: string | null;
  endedBy: 'transfer' | 'released' | 'disposed' | null;
}

/**
 * A few hundred random but valid custody histories through the real API; then every read model
 * kept live by the projector must equal the one rebuilt from the log alone, and every item's
 * custody intervals must tile time.
 */
describe('read models under a random workload (e2e, SQLite)', () => {
  it('live read models equal rebuilt ones, and custody intervals tile time with no overlap', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(planArb, { minLength: 120, maxLength: 160 }), async (plans) => {
        runs++;
        const e2e: E2eApp = await startE2eApp({ env: { RATE_LIMIT_BURST_PER_SECOND: '100000', RATE_LIMIT_PER_MINUTE: '1000000' } });
        const scratch = mkdtempSync(join(tmpdir(), 'ledger-rebuilt-'));
        try {
          const workload = new RandomWorkload(
            e2e,
            plans.flatMap((p) => p.choices),
          );
          const seizureIds: string[] = [];
          for (const plan of plans) seizureIds.push(await workload.play(plan));

          const head = await e2e.lastPosition();
          const projector = e2e.app.get<ReadModelProgress>(READ_MODEL_PROGRESS);
          expect(await projector.waitForPosition(head, 30_000)).toBe(true);
          const live = dumpReadModels(e2e.app.get<Database>(READ_MODEL_DB));
          // Every read model took part: none is empty after well over a thousand events.
          for (const [table, rows] of Object.entries(live)) expect({ table, empty: rows.length === 0 }).toEqual({ table, empty: false });
          // The transfer inbox saw transfers accepted, rejected and still waiting.
          const inboxStatuses = new Set((live.transfer_inbox_transfers ?? []).map((row) => (JSON.parse(row) as { status: string }).status));
          expect([...inboxStatuses].sort()).toEqual(['accepted', 'pending', 'rejected']);
          expect(head).toBeGreaterThan(plans.length * 3);

          const rebuiltDb = openDurableDatabase(join(scratch, 'rebuilt.sqlite'), prepareReadModelSchema);
          try {
            const lock = new ProjectorLock(rebuiltDb, 'rebuild');
            expect(lock.tryAcquire().acquired).toBe(true);
            const result = await rebuildProjections(rebuiltDb, e2e.store, REGISTERED_PROJECTIONS, { lock, restart: true, batchSize: 97 });
            lock.release();
            expect(result.position).toBe(head);
            const rebuilt = dumpReadModels(rebuiltDb);
            expect(Object.keys(rebuilt).sort()).toEqual(Object.keys(live).sort());
            for (const table of Object.keys(live)) expect({ table, rows: rebuilt[table] }).toEqual({ table, rows: live[table] });
          } finally {
            rebuiltDb.close();
          }

          const court = {
            sub: 'u-court',
            name: 'Court',
            roles: ['court' as const],
            unit: 'COURT',
            agency: 'court' as const,
            scope: { national: true as const },
          };
          for (const id of seizureIds) {
            const history = await e2e
              .http()
              .get(`/seizures/${id}/custody-history`)
              .set('Authorization', `Bearer ${e2e.tokenFor(court)}`)
              .expect(200);
            for (const item of history.body.items as Array<{
              itemId: string;
              disposition: string;
              intervals: Interval[];
              gaps: unknown[];
            }>) {
              expect({ item: item.itemId, gaps: item.gaps }).toEqual({ item: item.itemId, gaps: [] });
              item.intervals.forEach((interval, i) => {
                const next = item.intervals[i + 1];
                if (next) expect({ item: item.itemId, to: interval.to }).toEqual({ item: item.itemId, to: next.from });
                // The last interval is open while the item is held, and closed by its release or disposal.
                else if (item.disposition === 'held') expect(interval.to).toBeNull();
                else expect({ to: interval.to === null, endedBy: interval.endedBy }).toEqual({ to: false, endedBy: item.disposition });
                if (interval.to !== null) expect(interval.to >= interval.from).toBe(true);
              });
            }
          }
        } finally {
          await e2e.close();
          rmSync(scratch, { recursive: true, force: true });
        }
      }),
      { seed: 20240419, numRuns: 2, endOnFailure: true },
    );
    expect(runs).toBe(2);
  }, 240_000);
});
