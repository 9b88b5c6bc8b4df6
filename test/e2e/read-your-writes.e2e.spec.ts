import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { Database } from 'better-sqlite3';
import { IsOptional, IsString } from 'class-validator';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { TEST_JWT_SECRET, testToken } from '../../src/auth/auth.test-support';
import { applicationOptions, configureApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/app-config';
import { ReadModelQuery, ReadPositionQuery } from '../../src/read-models/http/read-position';
import { PROJECTIONS, READ_MODEL_DB, type Projection } from '../../src/read-models/projection';
import { createTestProjection } from '../../src/read-models/projector/projector.test-support';
import { REGISTERED_PROJECTIONS } from '../../src/read-models/read-models.module';
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
  const get = (path: string) => e2e.http().get(path).set('Authorization', `Bearer ${e2e.tokenFor(actors.flyingSquad)}`);
  const record = async () => {
    const seizureId = randomUUID();
    const response = await e2e.http().post('/seizures').set('Authorization', `Bearer ${e2e.tokenFor(actors.flyingSquad)}`).send(recordSeizureCommand({ seizureId }).data).expect(201);
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
    expect(response.body).toMatchObject({ type: expect.stringMatching(/\/read-model-behind$/), status: 503, detail: expect.stringContaining('minPosition 999999') });
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

describe('a failed projector (e2e, SQLite)', () => {
  it('keeps commands working, says so in /health, and makes read-your-writes queries answer 503', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
    const config = loadConfig({ LEDGER_DATA_DIR: join(root, 'data'), JWT_SECRET: TEST_JWT_SECRET }, root);
    const broken: Projection = createTestProjection({ name: 'broken', failOn: (e) => e.type === 'SeizureRecorded' });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)], controllers: [PlaceProbeHttpController] })
      .overrideProvider(PROJECTIONS)
      .useValue([...REGISTERED_PROJECTIONS, broken])
      .compile();
    const app = moduleRef.createNestApplication<NestExpressApplication>({ ...applicationOptions(config), logger: false });
    configureApp(app, config);
    await app.init();
    try {
      const token = testToken({ ...actors.flyingSquad, ttlSeconds: 600 });
      const seizureId = randomUUID();
      const created = await request(app.getHttpServer()).post('/seizures').set('Authorization', `Bearer ${token}`).send(recordSeizureCommand({ seizureId }).data).expect(201);

      let health = await request(app.getHttpServer()).get('/health').expect(200);
      for (let i = 0; i < 100 && health.body.projector.status !== 'failed'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        health = await request(app.getHttpServer()).get('/health').expect(200);
      }
      expect(health.body).toMatchObject({
        status: 'degraded',
        store: { reachable: true, lastGlobalPosition: 1 },
        projector: { status: 'failed', position: 0, lag: 1, detail: 'projection "broken" failed on event #1 (SeizureRecorded); see the server log' },
      });
      const behind = await request(app.getHttpServer())
        .get(`/probe-places/${seizureId}?minPosition=${created.body.globalPosition}`)
        .set('Authorization', `Bearer ${token}`)
        .expect(503);
      expect(behind.headers['retry-after']).toBe('60');
      expect(behind.body.detail).toMatch(/stopped at position 0/);
    } finally {
      await app.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
