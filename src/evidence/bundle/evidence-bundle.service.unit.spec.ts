import type { ReadModelProgress } from '../../projections/read-model-progress';
import type { FailedReadModel } from '../../projections/read-model-failure';
import { EVENT_SCHEMA_VERSIONS } from '../../custody/upcasters';
import { SeizureRuleViolation } from '../../custody/errors';
import type { EventStore, RecordedEvent } from '../../ledger/event-store';
import { ErrorRegistry } from '../../platform/http/error-registry';
import { evidenceErrorProblems } from '../error-problems';
import type { TreeHeadLog } from '../tree-heads/tree-head-log';
import type { WitnessedCheckpoints } from '../witnessing/witnessed-checkpoints';
import { EvidenceBundleService } from './evidence-bundle.service';
import { EvidenceNotReadyError } from './evidence-not-ready';
import { SEIZURE_ID, actors, seizureRecorded } from '../../../test/support/custody-fixtures';

const recorded: RecordedEvent = {
  streamName: `seizure-${SEIZURE_ID}`,
  revision: 0,
  globalPosition: 41,
  id: 'e-1',
  type: 'SeizureRecorded',
  data: seizureRecorded().data as never,
  metadata: { actor: { sub: actors.flyingSquad.sub }, schemaVersion: EVENT_SCHEMA_VERSIONS.SeizureRecorded },
  recordedAt: '2024-04-19T05:31:00.000Z',
  prevHash: '0'.repeat(64),
  hash: 'a'.repeat(64),
};

const failure: FailedReadModel = {
  name: 'custody-history',
  position: 40,
  failure: { position: 41, eventId: 'e-1', eventType: 'SeizureRecorded', streamName: recorded.streamName, error: 'boom' },
};

interface Situation {
  readModelsCovered?: boolean;
  /** A signed head covers the event, but no quorum of witnesses (of 2, waiting 2 s) has cosigned one. */
  awaitingWitnesses?: boolean;
  failed?: FailedReadModel[];
  projectorStatus?: string;
}

/** The service over fakes: a store holding one seizure, and read models and heads as the situation says. */
function service({
  readModelsCovered = false,
  failed = [],
  projectorStatus = 'running',
  awaitingWitnesses = false,
}: Situation): EvidenceBundleService {
  const store = { kind: 'sqlite', readStream: () => Promise.resolve([recorded]) } as unknown as EventStore;
  const projector = {
    waitForPosition: () => Promise.resolve(readModelsCovered),
    failedAmong: () => failed,
    status: projectorStatus,
  } as unknown as ReadModelProgress;
  const head = { logId: 'l', treeSize: 42, rootHash: 'b'.repeat(64), timestamp: '2024-04-20T06:00:00.000Z', signature: 's' };
  const heads = {
    latest: () => (awaitingWitnesses ? head : undefined),
    leavesUpTo: () => (awaitingWitnesses ? 42 : undefined),
    latestCovering: () => (awaitingWitnesses ? head : undefined),
  } as unknown as TreeHeadLog;
  const checkpoints = {
    required: awaitingWitnesses,
    waitMs: 2000,
    newestWitnessed: () => undefined,
    published: () => ({ witnesses: [], witnessQuorum: 2 }),
  } as unknown as WitnessedCheckpoints;
  return new EvidenceBundleService(
    store,
    heads,
    projector,
    { readModel: 'custody-history', seizureHistory: () => ({}) },
    { now: () => '2024-04-20T06:00:00.000Z' },
    checkpoints,
  );
}

async function refusal(bundle: Promise<unknown>): Promise<unknown> {
  try {
    await bundle;
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

const registry = new ErrorRegistry(evidenceErrorProblems);
const problemOf = (error: unknown) => registry.problemFor(error, { ifMatchGiven: false });

describe('EvidenceBundleService: why a bundle is not ready', () => {
  afterEach(() => jest.useRealTimers());

  it('refuses a seizure the actor may not see before waiting for anything', async () => {
    const error = await refusal(service({}).bundle(SEIZURE_ID, actors.outOfDistrict));
    expect(error).toBeInstanceOf(SeizureRuleViolation);
    expect((error as SeizureRuleViolation).code).toBe('out-of-scope');
  });

  it('names a failed read model: retrying will not help, so no Retry-After', async () => {
    const error = await refusal(service({ failed: [failure] }).bundle(SEIZURE_ID, actors.flyingSquad));
    expect(error).toBeInstanceOf(EvidenceNotReadyError);
    expect(problemOf(error)).toEqual({
      status: 503,
      slug: 'read-model-failed',
      title: 'Read model failed',
      detail:
        'This answer needs a read model that stopped: the read model "custody-history" failed at event #41 (SeizureRecorded) and stays at position 40. ' +
        'Retrying will not help until the software is fixed and redeployed.',
    });
  });

  it('says the read models stopped when the projector itself failed', async () => {
    const error = await refusal(service({ projectorStatus: 'failed' }).bundle(SEIZURE_ID, actors.flyingSquad));
    expect(problemOf(error)).toEqual({
      status: 503,
      slug: 'evidence-not-yet-signed',
      title: 'Evidence not ready',
      detail:
        "The read models stopped before the seizure's latest event; retrying will not help until the cause is fixed and the server restarted.",
    });
  });

  it('asks to retry soon while the read models are still on their way', async () => {
    const error = await refusal(service({}).bundle(SEIZURE_ID, actors.flyingSquad));
    expect(problemOf(error)).toEqual({
      status: 503,
      slug: 'evidence-not-yet-signed',
      title: 'Evidence not ready',
      detail: "The seizure's latest event is not yet included in the read models; retry in a few seconds.",
      headers: { 'Retry-After': '5' },
    });
  });

  it('asks to retry soon when no signed head includes the event in time', async () => {
    jest.useFakeTimers();
    const pending = refusal(service({ readModelsCovered: true }).bundle(SEIZURE_ID, actors.flyingSquad));
    await jest.advanceTimersByTimeAsync(16_000);
    expect(problemOf(await pending)).toEqual({
      status: 503,
      slug: 'evidence-not-yet-signed',
      title: 'Evidence not ready',
      detail: "The seizure's latest event is not yet included in a signed tree head; retry in a few seconds.",
      headers: { 'Retry-After': '5' },
    });
  });

  it('answers awaiting-witnesses with Retry-After once WITNESS_TIMEOUT_MS passes without a quorum of cosignatures', async () => {
    jest.useFakeTimers();
    const pending = refusal(service({ readModelsCovered: true, awaitingWitnesses: true }).bundle(SEIZURE_ID, actors.flyingSquad));
    await jest.advanceTimersByTimeAsync(2_100);
    expect(problemOf(await pending)).toEqual({
      status: 503,
      slug: 'awaiting-witnesses',
      title: 'Awaiting witness cosignatures',
      detail: expect.stringMatching(
        /^No checkpoint covering the seizure's latest event has been cosigned by 2 witnesses yet \(waited 2\d\d\d ms\)/,
      ),
      headers: { 'Retry-After': '5' },
    });
  });
});
