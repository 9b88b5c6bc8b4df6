import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import fc from 'fast-check';
import type { SeizureEvent } from '../../src/custody/events';
import type { SeizureState } from '../../src/custody/state';
import { SeizureRuleViolation } from '../../src/custody/errors';
import { actorAddresses, custodianAddress } from '../../src/custody/rules';
import type { SeizureCommand } from '../../src/custody/command';
import { handleSeizureCommand, loadSeizure } from '../../src/custody/handle-command';
import { SYSTEM_NAME, buildEvidenceBundle } from '../../src/evidence/bundle/evidence-bundle';
import { merkleLogTree } from '../../src/evidence/merkle/merkle-log.projection';
import { LogSigningKey } from '../../src/evidence/tree-heads/signing-key';
import { SqliteTreeHeadStore } from '../../src/evidence/tree-heads/sqlite/sqlite-tree-head-store';
import { TreeHeadLog } from '../../src/evidence/tree-heads/tree-head-log';
import { TreeHeadSigner } from '../../src/evidence/tree-heads/tree-head-signer';
import type { SignedTreeHead } from '../../src/evidence/tree-heads/tree-head';
import { verifyEvidenceBundle } from '../../src/evidence/verify/bundle.verify';
import { SqliteEventStore } from '../../src/ledger/sqlite/sqlite-event-store';
import { CustodyHistoryQuery } from '../../src/read-models/custody-history/custody-history.query';
import { prepareReadModelSchema } from '../../src/projections/checkpoints';
import { Projector } from '../../src/projections/projector';
import { ProjectorLock } from '../../src/projections/projector-lock';
import { rebuildProjections } from '../../src/projections/rebuild';
import { REGISTERED_PROJECTIONS } from '../../src/registered-projections';
import type { Actor } from '../../src/shared/actor';
import { FixedClock } from '../../src/shared/clock';
import { indianDayOf } from '../../src/shared/indian-day';
import type { JsonObject } from '../../src/shared/json';
import { openDurableDatabase } from '../../src/platform/sqlite/durable-database';
import { actors } from '../support/custody-fixtures';
import { fuzzSettings, Tally } from '../support/fuzz/fuzz-settings';
import { checkpointsNotCaughtUp, dumpReadModels } from '../support/read-model-dump';
import { SEIZURE_IDS, commandFor, planArb, type Plan } from './seizure-command-plan';

/**
 * "Accepted ⇒ projectable and provable", checked over random sequences of valid and near-valid
 * commands run through the real command handler and SQLite store: whatever decide accepts, every
 * registered read model applies (the projector never fails, every checkpoint reaches the head),
 * a rebuild from the log yields the very rows live updating did, and the seizure's evidence
 * bundle verifies. A second property checks that what was accepted was allowed by the target
 * rules (valuation by the current custodian, release to the person the order names, the agency
 * from the token, no date after today in India).
 *
 * CI runs FUZZ_SEED (default below) for FUZZ_RUNS runs; a longer run:
 *   FUZZ_RUNS=2000 npx jest test/property
 * fast-check prints the seed and the shrunk counterexample on failure; replay with FUZZ_SEED.
 */
const settings = fuzzSettings('FUZZ_RUNS', { seed: 20240420, count: 150 });

interface Accepted {
  command: SeizureCommand;
  actor: Actor;
  /** The seizure before the command. */
  before: SeizureState;
  now: string;
  events: SeizureEvent[];
}

interface Ledger {
  clock: FixedClock;
  store: SqliteEventStore;
  db: Database;
  projector?: Projector;
  scratch: string;
}

function openReadModels(file: string): Database {
  const db = openDurableDatabase(file, prepareReadModelSchema);
  db.pragma('synchronous = OFF');
  return db;
}

async function openLedger(clockStart: string, withProjector: boolean): Promise<Ledger> {
  const scratch = mkdtempSync(join(tmpdir(), 'ledger-property-'));
  const clock = new FixedClock(clockStart);
  // The real store and read-model code; in memory and without fsync, because durability is not
  // what this property is about and a few thousand commits would otherwise dominate its time.
  const store = SqliteEventStore.open({ filename: ':memory:', clock, pollIntervalMs: 10 });
  const db = openReadModels(join(scratch, 'read-models.sqlite'));
  const projector = withProjector ? new Projector(db, store, REGISTERED_PROJECTIONS, { batchSize: 7 }) : undefined;
  await projector?.start();
  return { clock, store, db, projector, scratch };
}

async function closeLedger(ledger: Ledger): Promise<void> {
  await ledger.projector?.stop();
  ledger.db.close();
  await ledger.store.close();
  rmSync(ledger.scratch, { recursive: true, force: true });
}

const headOf = async (ledger: Ledger): Promise<number> => (await ledger.store.health()).lastGlobalPosition ?? 0;

/** Runs the plan's steps through the command handler; returns what was accepted. Refusals are rule violations only. */
async function runPlan(ledger: Ledger, plan: Plan, refusals: Tally): Promise<Accepted[]> {
  const accepted: Accepted[] = [];
  for (const step of [...plan.records, ...plan.steps]) {
    ledger.clock.advance(step.minutesLater * 60_000);
    const now = ledger.clock.now();
    const seizureId = SEIZURE_IDS[step.seizure];
    const { state } = await loadSeizure(ledger.store, seizureId);
    const { command, actor } = commandFor(step, state, now);
    const head = await headOf(ledger);
    try {
      await handleSeizureCommand(ledger.store, seizureId, command, { actor, now });
    } catch (error) {
      // Anything but a named rule violation (a TypeError in decide, a store error) is a bug.
      if (!(error instanceof SeizureRuleViolation)) throw error;
      refusals.add(`${command.type}:${error.code}`);
      expect({ refused: error.code, appended: (await headOf(ledger)) - head }).toEqual({ refused: error.code, appended: 0 });
      continue;
    }
    const { events } = await loadSeizure(ledger.store, seizureId);
    const appended = events.slice(state.status === 'recorded' ? Object.keys(state.events).length : 0);
    accepted.push({ command, actor, before: state, now, events: appended.map((e) => ({ type: e.type, data: e.data }) as SeizureEvent) });
  }
  return accepted;
}

async function expectProjectedEverywhere(ledger: Ledger): Promise<number> {
  const head = await headOf(ledger);
  const projector = ledger.projector as Projector;
  const reached = await projector.waitForPosition(head, 10_000);
  expect({ status: projector.status, detail: projector.health(head).detail, reached }).toEqual({
    status: 'running',
    detail: undefined,
    reached: true,
  });
  expect(checkpointsNotCaughtUp(ledger.db, head)).toEqual([]);
  return head;
}

async function expectRebuildEqualsLive(ledger: Ledger, head: number): Promise<void> {
  const rebuiltDb = openReadModels(join(ledger.scratch, 'rebuilt.sqlite'));
  try {
    const lock = new ProjectorLock(rebuiltDb, 'rebuild');
    expect(lock.tryAcquire().acquired).toBe(true);
    const result = await rebuildProjections(rebuiltDb, ledger.store, REGISTERED_PROJECTIONS, { lock, restart: true, batchSize: 5 });
    lock.release();
    expect(result.position).toBe(head);
    expect(dumpReadModels(rebuiltDb)).toEqual(dumpReadModels(ledger.db));
  } finally {
    rebuiltDb.close();
  }
}

interface SignedLog {
  key: LogSigningKey;
  log: TreeHeadLog;
  head: SignedTreeHead;
}

/** Signs a head of the Merkle log as the server's signer does, with a fresh key. */
function signLog(ledger: Ledger): SignedLog {
  const key = LogSigningKey.generate();
  const heads = new SqliteTreeHeadStore(ledger.db);
  heads.setup();
  const tree = merkleLogTree(ledger.db);
  const head = new TreeHeadSigner(tree, heads, key, ledger.clock, { intervalMs: 1000 }).tick();
  if (head === null) throw new Error('no tree head was signed');
  return { key, log: new TreeHeadLog(tree, heads, key), head };
}

/** Builds the seizure's evidence bundle as GET /seizures/:id/evidence does, and verifies it. */
async function expectBundleVerifies(ledger: Ledger, { key, log, head }: SignedLog, seizureId: string): Promise<void> {
  const { events } = await loadSeizure(ledger.store, seizureId);
  if (events.length === 0) return;
  const inclusion = events.map((e) => {
    const proof = log.inclusionProof({ eventHash: e.hash }, head.treeSize);
    return { eventId: e.id, leafIndex: proof.leafIndex, proof: proof.proof };
  });
  const bundle = buildEvidenceBundle({
    seizureId,
    events,
    inclusion,
    treeHead: head,
    checkpoint: { origin: key.defaultOrigin, note: log.checkpoint(head.treeSize) },
    publicKey: key.publicKeyBase64,
    custodyHistory: new CustodyHistoryQuery(ledger.db).seizureHistory(actors.court, seizureId) as unknown as JsonObject,
    generatedAt: ledger.clock.now(),
    server: { system: SYSTEM_NAME, version: 'property-test', host: 'property-test', storeKind: ledger.store.kind },
    place: 'property test',
  });
  const report = verifyEvidenceBundle(bundle, { publicKey: key.publicKeyRaw });
  expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  expect(report.ok).toBe(true);
}

// ------------------------------------------------------------------------------------------
// What the target rules allow, checked on what was accepted.

const foldName = (name: string) => name.normalize('NFC').toLocaleLowerCase('en-IN').replace(/\s+/g, ' ').trim();
const foldNumber = (number: string) => number.toUpperCase().replace(/[\s-]/g, '');

/** Who alone records that a case closed (or a dispute was raised). */
const CASE_RECORDERS: Partial<Record<SeizureCommand['type'], { may: (actor: Actor) => boolean; only: string }>> = {
  CloseFir: { may: (actor) => actor.roles.includes('officer'), only: 'officers only' },
  DisposeOfCourtProceedings: { may: (actor) => actor.roles.includes('court'), only: 'courts only' },
  CloseIncomeTaxProceedings: {
    may: (actor) => actor.roles.includes('officer') && actor.agency === 'income_tax',
    only: 'Income Tax officers only',
  },
  RaiseReleaseDispute: { may: (actor) => actor.roles.includes('committee'), only: 'the committee only' },
  ResolveReleaseDispute: { may: (actor) => actor.roles.includes('committee'), only: 'the committee only' },
};

/** Why an accepted command should have been refused, or undefined. */
function breachOf(a: Accepted): string | undefined {
  const d = a.command.data as unknown as Record<string, unknown>;
  const today = indianDayOf(a.now);
  for (const field of ['depositedOn', 'registeredOn', 'orderedOn', 'closedOn', 'disposedOn', 'raisedOn', 'resolvedOn']) {
    if (typeof d[field] === 'string' && d[field] > today)
      return `${a.command.type}: ${field} ${String(d[field])} is after today in India (${today})`;
  }
  const recorded = a.events.find((e) => e.type === 'SeizureRecorded');
  if (recorded && 'agency' in recorded.data && recorded.data.agency !== a.actor.agency) {
    return `SeizureRecorded: agency "${recorded.data.agency}" is not the recording officer's (${a.actor.agency}, from the token)`;
  }
  const recorder = CASE_RECORDERS[a.command.type];
  if (recorder && !recorder.may(a.actor))
    return `${a.command.type} by ${a.actor.sub} (${a.actor.roles.join(', ')}, ${a.actor.agency}): ${recorder.only}`;
  if (a.before.status !== 'recorded') return undefined;
  const state = a.before;
  if (a.command.type === 'ValueItems') {
    const addresses = actorAddresses(a.actor);
    const notHeld = a.command.data.valuations.filter((v) => !addresses.includes(custodianAddress(state.items[v.itemId].custodian)));
    if (notHeld.length > 0)
      return `ValueItems by ${a.actor.sub} (${a.actor.unit}), not the custodian of ${notHeld.map((v) => `${v.itemId} (held by ${state.items[v.itemId].custodian.id})`).join(', ')}`;
  }
  if (a.command.type === 'ReleaseItems') {
    const order = state.releaseOrders[a.command.data.orderNumber];
    const to = a.command.data.releasedTo;
    if (foldName(order.releaseTo.name) !== foldName(to.name))
      return `ReleaseItems to "${to.name}", but order ${order.orderNumber} names "${order.releaseTo.name}"`;
    const named = order.releaseTo.idDocument;
    if (
      named &&
      (named.type.toLowerCase() !== to.idDocument.type.toLowerCase() || foldNumber(named.number) !== foldNumber(to.idDocument.number))
    ) {
      return `ReleaseItems against ${to.idDocument.type} ${to.idDocument.number}, but order ${order.orderNumber} names ${named.type} ${named.number}`;
    }
  }
  return undefined;
}

// ------------------------------------------------------------------------------------------

describe(`accepted commands are projectable and provable (real SQLite; FUZZ_SEED=${settings.seed}, FUZZ_RUNS=${settings.count})`, () => {
  const acceptedKinds = new Tally();
  const refusals = new Tally();

  afterAll(() => {
    if (process.env.FUZZ_VERBOSE === '1')
      console.log(
        `accepted-is-provable seed=${settings.seed} runs=${settings.count} | accepted: ${acceptedKinds.toString()} | refused: ${refusals.toString()}`,
      );
  });

  it('every accepted command is applied by every read model, rebuilds to the same rows, and its seizure’s bundle verifies', async () => {
    await fc.assert(
      fc.asyncProperty(planArb, async (plan) => {
        const ledger = await openLedger(plan.clockStart, true);
        try {
          const accepted = await runPlan(ledger, plan, refusals);
          for (const a of accepted) acceptedKinds.add(a.command.type);
          const head = await expectProjectedEverywhere(ledger);
          await expectRebuildEqualsLive(ledger, head);
          if (head === 0) return;
          const signed = signLog(ledger);
          for (const seizureId of SEIZURE_IDS) await expectBundleVerifies(ledger, signed, seizureId);
        } finally {
          await closeLedger(ledger);
        }
      }),
      { seed: settings.seed, numRuns: settings.count },
    );
  }, 600_000);

  it('every accepted command was allowed by the rules: custodian values, named person receives, agency from the token, no future day', async () => {
    await fc.assert(
      fc.asyncProperty(planArb, async (plan) => {
        const ledger = await openLedger(plan.clockStart, false);
        try {
          const breaches = (await runPlan(ledger, plan, new Tally())).map(breachOf).filter((b): b is string => b !== undefined);
          expect(breaches).toEqual([]);
        } finally {
          await closeLedger(ledger);
        }
      }),
      { seed: settings.seed, numRuns: settings.count * 2 },
    );
  }, 600_000);
});
