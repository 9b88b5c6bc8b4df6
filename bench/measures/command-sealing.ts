import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Actor } from '../../src/shared/actor';
import { FixedClock } from '../../src/shared/clock';
import { indianDayOf } from '../../src/shared/indian-day';
import { SqliteEventStore } from '../../src/ledger/sqlite/sqlite-event-store';
import { loadKek } from '../../src/sealing/kek-source';
import { SqliteKeyStore } from '../../src/sealing/sqlite/sqlite-key-store';
import type { SeizureCommand } from '../../src/custody/command';
import { handleSeizureCommand, loadSeizure, type CommandOutcome } from '../../src/custody/handle-command';
import { KeyStoreSealing, NO_SEALING, type PersonalDataSealing } from '../../src/custody/sealing/personal-data-sealing';
import type { BenchConsole } from '../report/console';
import { rate, type Measure } from '../report/measure';
import { districtActors } from '../workload/actors';
import { planSeizure, type SeizurePlan } from '../workload/seizure-plan';
import { LatencyRecorder, nowMs, type LatencySummary } from './latency';

/**
 * What sealing personal data costs a command: the workload's seizures run through the real
 * command handler twice, into two ledgers on the same disk, one sealing (a real key store beside
 * it, as the server opens it) and one in clear (NO_SEALING), seizure by seizure, one command at a
 * time. Each seizure's life is followed by a correction, a load and an erasure of every subject.
 */

export type SealingCostRowKey =
  | 'record-seizure'
  | 'value-items'
  | 'order-release'
  | 'release-items'
  | 'record-correction'
  | 'deposit-cash'
  | 'all-commands'
  | 'load-seizure'
  | 'erase-personal-data';

/** The rows of the cost table, in its order: what each times. */
export const SEALING_COST_ROWS: ReadonlyArray<{ key: SealingCostRowKey; title: string; unit: string }> = [
  { key: 'record-seizure', title: 'RecordSeizure: seized-from + 2 witnesses', unit: 'commands/s' },
  { key: 'value-items', title: 'ValueItems: basis and reason (free text)', unit: 'commands/s' },
  { key: 'order-release', title: 'OrderRelease: recipient, reasons', unit: 'commands/s' },
  { key: 'release-items', title: 'ReleaseItems: recipient, remarks', unit: 'commands/s' },
  { key: 'record-correction', title: 'RecordCorrection: 3 free-text fields', unit: 'commands/s' },
  { key: 'deposit-cash', title: 'DepositCash: no personal data', unit: 'commands/s' },
  { key: 'all-commands', title: 'every command of a seizure’s life', unit: 'commands/s' },
  { key: 'load-seizure', title: 'load a seizure', unit: 'loads/s' },
  { key: 'erase-personal-data', title: 'ErasePersonalData: every subject (shred)', unit: 'erasures/s' },
];

export const sealingCostMeasureId = (key: SealingCostRowKey): string => `ours.sealing-cost.${key}`;

const ROW_OF_COMMAND: Partial<Record<SeizureCommand['type'], SealingCostRowKey>> = {
  RecordSeizure: 'record-seizure',
  ValueItems: 'value-items',
  OrderRelease: 'order-release',
  ReleaseItems: 'release-items',
  RecordCorrection: 'record-correction',
  DepositCash: 'deposit-cash',
  ErasePersonalData: 'erase-personal-data',
};

/** Seizures run in both ledgers before the measured ones: statements prepared, code warmed up. */
const WARM_UP_SEIZURES = 2;
const DAY_MS = 24 * 60 * 60 * 1000;

type ModeName = 'clear' | 'sealed';

interface Mode {
  name: ModeName;
  store: SqliteEventStore;
  sealing: PersonalDataSealing;
  latencies: Map<SealingCostRowKey, LatencyRecorder>;
  /** Events of the seizures loaded, to say how long a loaded seizure is. */
  loadedEvents: number;
}

function openModes(dir: string, clock: FixedClock): { modes: Record<ModeName, Mode>; keys: SqliteKeyStore } {
  const recorders = () => new Map(SEALING_COST_ROWS.map((row) => [row.key, new LatencyRecorder()]));
  const keys = SqliteKeyStore.open({ filename: join(dir, 'sealed', 'personal-data-keys.sqlite'), kek: loadKek({}, dir), clock });
  const mode = (name: ModeName, sealing: PersonalDataSealing): Mode => ({
    name,
    store: SqliteEventStore.open({ filename: join(dir, name, 'ledger.sqlite'), clock }),
    sealing,
    latencies: recorders(),
    loadedEvents: 0,
  });
  return { modes: { clear: mode('clear', NO_SEALING), sealed: mode('sealed', new KeyStoreSealing(keys)) }, keys };
}

/** The workload's seizure with exactly two witnesses, so that every record seals the same three subjects. */
function planWithTwoWitnesses(seed: number, index: number): SeizurePlan {
  const plan = planSeizure(seed, index);
  const record = { ...plan.record, data: { ...plan.record.data, witnesses: plan.record.data.witnesses.slice(0, 2) } };
  return { ...plan, record, commands: plan.commands.map((step, i) => (i === 0 ? { ...step, command: record } : step)) };
}

/** Runs one command as the server would, timed; `row` null: counted only among every command. */
async function timed(
  mode: Mode,
  clock: FixedClock,
  seizureId: string,
  step: { command: SeizureCommand; actor: Actor; now: string },
  measured: boolean,
): Promise<CommandOutcome> {
  clock.set(step.now);
  const started = nowMs();
  const outcome = await handleSeizureCommand(
    mode.store,
    seizureId,
    step.command,
    { actor: step.actor, now: step.now },
    { sealing: mode.sealing },
  );
  const elapsed = nowMs() - started;
  if (measured) {
    const row = ROW_OF_COMMAND[step.command.type];
    if (row) mode.latencies.get(row)?.record(elapsed);
    if (step.command.type !== 'ErasePersonalData') mode.latencies.get('all-commands')?.record(elapsed);
  }
  return outcome;
}

/** One seizure's life in one ledger: its commands, a correction of the record, a load, an erasure of every subject. */
async function runSeizure(mode: Mode, clock: FixedClock, plan: SeizurePlan, measured: boolean): Promise<void> {
  let recordEventId = '';
  let at = '';
  for (const step of plan.commands) {
    const outcome = await timed(mode, clock, plan.seizureId, step, measured);
    if (outcome.events.length !== step.expectedEvents)
      throw new Error(`seizure #${plan.index} (${mode.name}): ${step.command.type} gave ${outcome.events.length} events`);
    if (step.command.type === 'RecordSeizure') recordEventId = outcome.events[0].eventId;
    at = step.now;
  }
  at = new Date(Date.parse(at) + DAY_MS).toISOString();
  const correction: SeizureCommand = {
    type: 'RecordCorrection',
    data: {
      correctsEventId: recordEventId,
      whatWasWrong: `the address of ${plan.record.data.seizedFrom.name} was written incompletely`,
      correction: `${plan.record.data.seizedFrom.name}, resident of ${plan.district.name}`,
      reason: 'noticed when the memo was read out to the witnesses',
    },
  };
  await timed(mode, clock, plan.seizureId, { command: correction, actor: plan.officer, now: at }, measured);

  const started = nowMs();
  const loaded = await loadSeizure(mode.store, plan.seizureId, mode.sealing);
  if (measured) {
    mode.latencies.get('load-seizure')?.record(nowMs() - started);
    mode.loadedEvents += loaded.events.length;
  }
  checkLoaded(mode, plan, loaded);

  at = new Date(Date.parse(at) + DAY_MS).toISOString();
  const subjects = Object.entries(loaded.state.status === 'recorded' ? loaded.state.personalData : {})
    .filter(([, held]) => held.sealed.length > 0 || held.inClear.length > 0)
    .map(([subject]) => subject);
  const orderNumber = `CJM/${plan.district.code}/ERASE/${plan.index}`;
  const erase: SeizureCommand = {
    type: 'ErasePersonalData',
    data: {
      subjects,
      legalBasis: 'court_order',
      orderReference: orderNumber,
      courtOrder: { court: `Chief Judicial Magistrate, ${plan.district.name}`, orderNumber, orderedOn: indianDayOf(at) },
    },
  };
  const erased = await timed(
    mode,
    clock,
    plan.seizureId,
    { command: erase, actor: districtActors(plan.district).court, now: at },
    measured,
  );
  if (erased.events.length !== 1 || erased.shredding === 'pending')
    throw new Error(`seizure #${plan.index} (${mode.name}): the erasure did not shred (${erased.shredding ?? 'no event'})`);
}

/** What was sealed comes back as written: a bench that sealed nothing, or revealed garbage, would measure nothing. */
function checkLoaded(mode: Mode, plan: SeizurePlan, loaded: Awaited<ReturnType<typeof loadSeizure>>): void {
  const record = loaded.events[0]?.data as { seizedFrom?: unknown } | undefined;
  const fields = [...loaded.reveals.values()].flat();
  const sealedAsMeant = mode.name === 'clear' ? fields.length === 0 : fields.length > 0 && fields.every((f) => f.status === 'revealed');
  if (!sealedAsMeant || !isDeepStrictEqual(record?.seizedFrom, plan.record.data.seizedFrom))
    throw new Error(`seizure #${plan.index} (${mode.name}): the loaded seizure is not what was written`);
}

export interface SealingCostOptions {
  dir: string;
  seed: number;
  /** Seizures measured (after the warm-up), each run in both ledgers. */
  seizures: number;
  reporter: BenchConsole;
}

export async function measureCommandSealing(options: SealingCostOptions): Promise<Measure[]> {
  const clock = new FixedClock();
  const { modes, keys } = openModes(options.dir, clock);
  const progress = options.reporter.phase('commands with and without sealing', options.seizures, 'seizures');
  const total = WARM_UP_SEIZURES + options.seizures;
  try {
    for (let i = 0; i < total; i++) {
      const plan = planWithTwoWitnesses(options.seed, i);
      // Which ledger goes first alternates, so that neither always runs on a cache the other warmed.
      const order = i % 2 === 0 ? [modes.clear, modes.sealed] : [modes.sealed, modes.clear];
      for (const mode of order) await runSeizure(mode, clock, plan, i >= WARM_UP_SEIZURES);
      progress.update(Math.max(0, i + 1 - WARM_UP_SEIZURES));
    }
  } finally {
    await Promise.all([modes.clear.store.close(), modes.sealed.store.close(), keys.close()]);
  }
  const measures = SEALING_COST_ROWS.map((row) => costMeasure(row, modes, options.seizures));
  const all = measures.find((m) => m.id === sealingCostMeasureId('all-commands'));
  const cost = all?.detail?.costPercent as CostFigures | undefined;
  progress.finish(`every command: ${formatPercent(cost?.mean)} mean time with sealing`);
  return measures;
}

interface CostFigures {
  p50: number;
  mean: number;
}

const formatPercent = (n: number | undefined): string =>
  n === undefined || !Number.isFinite(n) ? '–' : `${n >= 0 ? '+' : ''}${n.toFixed(0)} %`;

function costMeasure(row: (typeof SEALING_COST_ROWS)[number], modes: Record<ModeName, Mode>, seizures: number): Measure {
  const sealed = modes.sealed.latencies.get(row.key)!.summary();
  const clear = modes.clear.latencies.get(row.key)!.summary();
  const perSecond = (s: LatencySummary) => rate(s.samples, s.meanMs * s.samples);
  const costMs: CostFigures = { p50: sealed.p50Ms - clear.p50Ms, mean: sealed.meanMs - clear.meanMs };
  const costPercent: CostFigures = { p50: (costMs.p50 / clear.p50Ms) * 100, mean: (costMs.mean / clear.meanMs) * 100 };
  const eventsPerLoad = row.key === 'load-seizure' && sealed.samples > 0 ? modes.sealed.loadedEvents / sealed.samples : undefined;
  return {
    id: sealingCostMeasureId(row.key),
    group: 'ours',
    title: eventsPerLoad === undefined ? row.title : `${row.title} (${eventsPerLoad.toFixed(1)} events on average)`,
    value: perSecond(sealed),
    unit: row.unit,
    latency: sealed,
    operations: sealed.samples,
    durationSeconds: (sealed.meanMs * sealed.samples) / 1000,
    detail: {
      seizures,
      withoutSealing: { value: perSecond(clear), latency: clear },
      costMs,
      costPercent,
      ...(eventsPerLoad !== undefined && { eventsPerLoad }),
    },
  };
}
