import { randomUUID } from 'node:crypto';
import { merkleLogProjection } from '../../src/evidence/merkle/merkle-log.projection';
import { custodyHistoryProjection } from '../../src/read-models/custody-history/custody-history.projection';
import type { Projection } from '../../src/projections/projection';
import { REGISTERED_PROJECTIONS } from '../../src/registered-projections';
import { actors, recordSeizureCommand } from '../support/custody-fixtures';
import { startE2eApp, type E2eApp } from '../support/e2e-app';

/** The custody history as deployed, except that it throws on one seizure's events (a stored event it cannot take). */
function custodyHistoryFailingOn(poisonedSeizureId: string): Projection {
  return {
    name: custodyHistoryProjection.name,
    version: custodyHistoryProjection.version,
    setup: (db) => custodyHistoryProjection.setup(db),
    teardown: (db) => custodyHistoryProjection.teardown(db),
    apply(db, event) {
      if (event.seizureId === poisonedSeizureId) throw new Error("Cannot read properties of undefined (reading 'id')");
      custodyHistoryProjection.apply(db, event);
    },
  };
}

async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The custody history read model fails on a stored event: commands, the other read models, the
 * Merkle log and signed tree heads go on; /health names it; its queries and the evidence bundles
 * that need it answer 503 read-model-failed (retrying will not help), not "retry soon".
 */
describe('a failed read model over HTTP (e2e, SQLite)', () => {
  let e2e: E2eApp;
  const poisoned = randomUUID();
  const healthy = randomUUID();
  const as = (actor: (typeof actors)[keyof typeof actors]) => `Bearer ${e2e.tokenFor(actor)}`;

  beforeAll(async () => {
    const projections = REGISTERED_PROJECTIONS.map((p) =>
      p.name === custodyHistoryProjection.name ? custodyHistoryFailingOn(poisoned) : p,
    );
    e2e = await startE2eApp({ env: { TREE_HEAD_INTERVAL_SECONDS: '1' }, projections });
    for (const seizureId of [poisoned, healthy]) {
      await e2e
        .http()
        .post('/seizures')
        .set('Authorization', as(actors.flyingSquad))
        .send(recordSeizureCommand({ seizureId }).data)
        .expect(201);
    }
  });
  afterAll(async () => {
    await e2e.close();
  });

  it('names the failed read model and its event in /health, while the others and the Merkle log reach the head', async () => {
    const [poisonEvent] = await e2e.store.readAll();
    const health = await eventually(
      () => e2e.http().get('/health').expect(200),
      (r) => r.body.projector.failedReadModels !== undefined && r.body.projector.lag === 0,
    );
    expect(health.body).toMatchObject({
      status: 'degraded',
      store: { reachable: true, lastGlobalPosition: 2 },
      projector: {
        status: 'running',
        position: 2,
        lag: 0,
        failedReadModels: [
          {
            name: custodyHistoryProjection.name,
            position: 0,
            failedAt: { position: 1, eventId: poisonEvent.id, eventType: 'SeizureRecorded', streamName: `seizure-${poisoned}` },
            error: "Cannot read properties of undefined (reading 'id')",
          },
        ],
      },
    });
    expect(health.body.projector.failedReadModels).toHaveLength(1);
    expect(health.text).not.toMatch(/रमेश|XXXX-XXXX-4321|Sigra/);
    expect(merkleLogProjection.name).not.toBe(custodyHistoryProjection.name);
  });

  it('keeps signing tree heads over every event', async () => {
    const latest = await eventually(
      () => e2e.http().get('/evidence/tree-heads/latest'),
      (r) => r.status === 200 && r.body.treeSize === 2,
    );
    expect(latest.status).toBe(200);
    expect(latest.body.treeSize).toBe(2);
  });

  it('answers queries on the failed read model with 503 read-model-failed, and others as usual', async () => {
    const failed = await e2e.http().get(`/seizures/${healthy}/custody-history`).set('Authorization', as(actors.court)).expect(503);
    expect(failed.headers['retry-after']).toBeUndefined();
    expect(failed.body).toMatchObject({
      type: expect.stringMatching(/\/problems\/read-model-failed$/),
      status: 503,
      detail: expect.stringMatching(
        /"custody-history" failed at event #1 \(SeizureRecorded\) and stays at position 0\. Retrying will not help until the software is fixed/,
      ),
    });
    await e2e.http().get('/seizures?minPosition=2').set('Authorization', as(actors.court)).expect(200);
  });

  it("answers an evidence bundle that needs the failed custody history with 503 read-model-failed, saying retrying won't help", async () => {
    const response = await e2e.http().get(`/seizures/${healthy}/evidence`).set('Authorization', as(actors.court)).expect(503);
    expect(response.headers['retry-after']).toBeUndefined();
    expect(response.body).toMatchObject({ type: expect.stringMatching(/\/problems\/read-model-failed$/), title: 'Read model failed' });
    expect(response.body.detail).toMatch(/custody-history.*Retrying will not help/);
    expect(response.body.detail).not.toMatch(/alerted|notified/);
  });
});
