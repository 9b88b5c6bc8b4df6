import { randomUUID } from 'node:crypto';
import { Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { IsOptional, IsString } from 'class-validator';
import { ReadModelQuery, ReadPositionQuery } from '../../src/read-models/http/read-position';
import { READ_MODEL_DB, type Projection } from '../../src/projections/projection';
import { createTestProjection } from '../../src/projections/projector.test-support';
import { REGISTERED_PROJECTIONS } from '../../src/registered-projections';
import { actors, recordSeizureCommand } from '../support/custody-fixtures';
import { startE2eApp, type E2eApp } from '../support/e2e-app';

class PlaceQuery extends ReadPositionQuery {
  @IsOptional()
  @IsString()
  note?: string;
}

/** A query route as the read models' controllers write them: @ReadModelQuery() and a DTO extending ReadPositionQuery. */
@Controller('probe-places')
class PlaceProbeHttpController {
  constructor(@Inject(READ_MODEL_DB) private readonly db: Database) {}

  @Get(':seizureId')
  @ReadModelQuery()
  place(@Param('seizureId') seizureId: string, @Query() _query: PlaceQuery): unknown {
    const row = this.db.prepare('SELECT state, district FROM live_feed_seizure_places WHERE seizure_id = ?').get(seizureId);
    if (row === undefined) throw new NotFoundException('not projected (yet)');
    return row;
  }
}

describe('read-your-writes (e2e, SQLite)', () => {
  let e2e: E2eApp;
  const get = (path: string) =>
    e2e
      .http()
      .get(path)
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.flyingSquad)}`);
  const record = async () => {
    const seizureId = randomUUID();
    const response = await e2e
      .http()
      .post('/seizures')
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.flyingSquad)}`)
      .send(recordSeizureCommand({ seizureId }).data)
      .expect(201);
    return { seizureId, position: response.body.globalPosition as number };
  };

  beforeAll(async () => {
    e2e = await startE2eApp({ controllers: [PlaceProbeHttpController] });
  });
  afterAll(async () => {
    await e2e.close();
  });

  it('a query with minPosition sees the command that returned that position', async () => {
    for (let i = 0; i < 5; i++) {
      const { seizureId, position } = await record();
      const response = await get(`/probe-places/${seizureId}?minPosition=${position}`).expect(200);
      expect(response.body).toEqual({ state: 'UP', district: 'UP-VNS' });
      expect(Number(response.headers['x-read-model-position'])).toBeGreaterThanOrEqual(position);
    }
  });

  it('every query answer carries X-Read-Model-Position, errors too', async () => {
    const { position } = await record();
    const missing = await get(`/probe-places/${randomUUID()}?minPosition=${position}&note=x`).expect(404);
    expect(Number(missing.headers['x-read-model-position'])).toBeGreaterThanOrEqual(position);
  });

  it('answers 503 read-model-behind with Retry-After when the position is not reached in time', async () => {
    const started = Date.now();
    const response = await get(`/probe-places/${randomUUID()}?minPosition=999999&maxWaitMs=200`).expect(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.headers['x-read-model-position']).toBe(String(await e2e.lastPosition()));
    expect(response.body).toMatchObject({
      type: expect.stringMatching(/\/read-model-behind$/),
      status: 503,
      detail: expect.stringContaining('minPosition 999999'),
    });
  });

  it('refuses a malformed minPosition or maxWaitMs (400), and unknown parameters as always', async () => {
    for (const query of ['minPosition=-1', 'minPosition=abc', 'maxWaitMs=30001']) {
      const response = await get(`/probe-places/${randomUUID()}?${query}`).expect(400);
      expect(response.body.type).toMatch(/\/validation-failed$/);
    }
    await get(`/probe-places/${randomUUID()}?colour=red`).expect(400);
  });

  it('reports the projector in /health', async () => {
    await record();
    const head = await e2e.lastPosition();
    await get(`/probe-places/${randomUUID()}?minPosition=${head}`).expect(404);
    const health = await e2e.http().get('/health').expect(200);
    expect(health.body).toMatchObject({ status: 'ok', projector: { position: head, lag: 0, status: 'running' } });
  });
});

/** A query route that reads the faulty read model below, as a query controller names the read models it reads. */
@Controller('probe-broken')
class BrokenProbeHttpController {
  @Get()
  @ReadModelQuery('broken')
  read(@Query() _query: PlaceQuery): unknown {
    return { read: true };
  }
}

describe('a read model that fails on an event (e2e, SQLite)', () => {
  it('keeps commands and the other read models working, names it in /health, and makes its own queries answer 503 read-model-failed', async () => {
    const broken: Projection = createTestProjection({ name: 'broken', failOn: (e) => e.type === 'SeizureRecorded' });
    const e2e = await startE2eApp({
      controllers: [PlaceProbeHttpController, BrokenProbeHttpController],
      projections: [...REGISTERED_PROJECTIONS, broken],
    });
    try {
      const token = e2e.tokenFor(actors.flyingSquad);
      const seizureId = randomUUID();
      const created = await e2e
        .http()
        .post('/seizures')
        .set('Authorization', `Bearer ${token}`)
        .send(recordSeizureCommand({ seizureId }).data)
        .expect(201);
      const [event] = await e2e.store.readAll();

      let health = await e2e.http().get('/health').expect(200);
      for (let i = 0; i < 100 && health.body.projector.failedReadModels === undefined; i++) {
        await new Promise((r) => setTimeout(r, 20));
        health = await e2e.http().get('/health').expect(200);
      }
      expect(health.body).toEqual({
        status: 'degraded',
        store: { kind: 'sqlite', reachable: true, lastGlobalPosition: 1 },
        // The healthy read models are at the head: position and lag are theirs.
        projector: {
          status: 'running',
          position: 1,
          lag: 0,
          detail: `read model "broken" failed on event #1 (SeizureRecorded, id ${event.id}); see the server log`,
          failedReadModels: [
            {
              name: 'broken',
              position: 0,
              failedAt: { position: 1, eventId: event.id, eventType: 'SeizureRecorded', streamName: `seizure-${seizureId}` },
              error: 'test projection refuses event #1',
            },
          ],
        },
        version: expect.any(String),
      });
      // The event's data (personal data included) is not echoed.
      expect(health.text).not.toMatch(/रमेश|XXXX-XXXX-4321|Sigra/);

      // Read-your-writes on the other read models is not held up by the failed one.
      const place = await e2e
        .http()
        .get(`/probe-places/${seizureId}?minPosition=${created.body.globalPosition}`)
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(place.body).toEqual({ state: 'UP', district: 'UP-VNS' });

      const failed = await e2e.http().get('/probe-broken?minPosition=1').set('Authorization', `Bearer ${token}`).expect(503);
      expect(failed.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(failed.headers['retry-after']).toBeUndefined();
      expect(failed.headers['x-read-model-position']).toBe('0');
      expect(failed.body).toMatchObject({
        type: expect.stringMatching(/\/problems\/read-model-failed$/),
        title: 'Read model failed',
        status: 503,
        detail: expect.stringContaining('the read model "broken" failed at event #1 (SeizureRecorded) and stays at position 0'),
      });
      expect(failed.body.detail).toMatch(/Retrying will not help until the software is fixed/);
      expect(failed.body.detail).not.toMatch(/alerted|notified/);
      // Without minPosition too: what it would answer lacks every event from the failing one on.
      await e2e.http().get('/probe-broken').set('Authorization', `Bearer ${token}`).expect(503);
    } finally {
      await e2e.close();
    }
  });
});
