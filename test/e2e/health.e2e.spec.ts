import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Body, Controller, Get, Post } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { Type } from 'class-transformer';
import { IsArray, IsInt, IsString, Min, MinLength, ValidateNested } from 'class-validator';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { FROM_SOURCES_APP_OPTIONS } from '../support/projector-worker';
import { Public } from '../../src/auth/public.decorator';
import { applicationOptions, configureApp } from '../../src/bootstrap';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { StoreUnavailableError } from '../../src/ledger/errors';
import { EVENT_STORE, EventStore } from '../../src/ledger/event-store';
import { PROBLEM_TYPE_BASE_URI } from '../../src/platform/http/problem-details.filter';

class ProbeItemDto {
  @IsInt()
  @Min(1)
  quantity!: number;
}

class ProbeBodyDto {
  @IsString()
  @MinLength(1)
  label!: string;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ProbeItemDto)
  items!: ProbeItemDto[];
}

/** Test-only routes that exercise body parsing, validation and error mapping as features will. */
// Public: this probe exercises parsing and error rendering, not authentication.
@Public()
@Controller('test-probe')
class ProbeHttpController {
  @Post()
  accept(@Body() body: ProbeBodyDto): ProbeBodyDto {
    return body;
  }

  @Get('crash')
  crash(): never {
    throw new Error('secret internals: /var/lib/ledger password=hunter2');
  }

  @Get('store-down')
  storeDown(): never {
    throw new StoreUnavailableError('SQLITE_IOERR on /var/lib/ledger/ledger.sqlite');
  }
}

const BODY_LIMIT = 2048;
const PROBLEM_JSON = /^application\/problem\+json/;

describe('HTTP surface (e2e, SQLite store)', () => {
  let root: string;
  let config: AppConfig;
  let app: NestExpressApplication;

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
    // Tests override config by handing AppModule a complete AppConfig; a small body limit keeps the 413 case cheap.
    config = Object.freeze({ ...loadConfig({ LEDGER_DATA_DIR: join(root, 'data') }, root), bodyLimitBytes: BODY_LIMIT });
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot(config, FROM_SOURCES_APP_OPTIONS)],
      controllers: [ProbeHttpController],
    }).compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ ...applicationOptions(config), logger: false });
    configureApp(app, config);
    await app.init();
  });

  afterEach(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  describe('GET /health', () => {
    it('reports a reachable, empty SQLite store', async () => {
      const response = await request(app.getHttpServer()).get('/health').expect(200);

      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['x-powered-by']).toBeUndefined();
      expect(response.body).toEqual({
        status: 'ok',
        store: { kind: 'sqlite', reachable: true, lastGlobalPosition: 0 },
        projector: { position: 0, lag: 0, status: expect.stringMatching(/^(starting|running)$/) },
        version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      });
    });

    it('has created the data directory (mode 0700) and the SQLite file in it', () => {
      const stats = statSync(config.dataDir);
      expect(stats.isDirectory()).toBe(true);
      expect(stats.mode & 0o777).toBe(0o700);
      expect(existsSync(join(config.dataDir, 'ledger.sqlite'))).toBe(true);
    });

    it('answers 503 with the store detail once the store is unavailable', async () => {
      await app.get<EventStore>(EVENT_STORE).close();

      const response = await request(app.getHttpServer()).get('/health').expect(503);

      expect(response.body).toEqual({
        status: 'unavailable',
        store: { kind: 'sqlite', reachable: false, lastGlobalPosition: null, detail: expect.any(String) },
        // The store completed the projector's subscription as it closed.
        projector: { position: 0, lag: null, status: 'stopped', detail: 'the event store was closed' },
        version: expect.any(String),
      });
      expect(response.body.store.detail).toMatch(/closed/);
    });
  });

  describe('problem details', () => {
    it('answers an unknown route with 404 problem+json', async () => {
      const response = await request(app.getHttpServer()).get('/no/such/route?token=abc').expect(404);

      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body).toEqual({
        type: `${PROBLEM_TYPE_BASE_URI}not-found`,
        title: 'Not found',
        status: 404,
        detail: expect.any(String),
        instance: '/no/such/route',
      });
    });

    it('answers a malformed JSON body with 400 problem+json', async () => {
      const response = await request(app.getHttpServer())
        .post('/test-probe')
        .set('Content-Type', 'application/json')
        .send('{"label": "bag 7",')
        .expect(400);

      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body).toMatchObject({
        type: `${PROBLEM_TYPE_BASE_URI}malformed-json`,
        title: 'Malformed JSON body',
        status: 400,
        instance: '/test-probe',
      });
    });

    it('rejects a bare JSON scalar (strict parsing) with 400', async () => {
      const response = await request(app.getHttpServer())
        .post('/test-probe')
        .set('Content-Type', 'application/json')
        .send('"just a string"')
        .expect(400);

      expect(response.body.type).toBe(`${PROBLEM_TYPE_BASE_URI}malformed-json`);
    });

    it('answers a body over the limit with 413 problem+json', async () => {
      const response = await request(app.getHttpServer())
        .post('/test-probe')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ label: 'x'.repeat(BODY_LIMIT), items: [] }))
        .expect(413);

      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body).toEqual({
        type: `${PROBLEM_TYPE_BASE_URI}payload-too-large`,
        title: 'Request body too large',
        status: 413,
        detail: `The request body exceeds the limit of ${BODY_LIMIT} bytes.`,
        instance: '/test-probe',
      });
    });

    it('answers a non-JSON body with 415 problem+json', async () => {
      const response = await request(app.getHttpServer())
        .post('/test-probe')
        .set('Content-Type', 'text/plain')
        .send('label=bag')
        .expect(415);

      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body.type).toBe(`${PROBLEM_TYPE_BASE_URI}unsupported-media-type`);
    });

    it('answers an unsupported JSON charset with 415 problem+json', async () => {
      const response = await request(app.getHttpServer())
        .post('/test-probe')
        .set('Content-Type', 'application/json; charset=latin1')
        .send('{}')
        .expect(415);

      expect(response.body).toMatchObject({ type: `${PROBLEM_TYPE_BASE_URI}unsupported-media-type`, status: 415 });
    });

    it('accepts a valid body under the limit', async () => {
      const body = { label: 'bag 7', items: [{ quantity: 2 }] };

      const response = await request(app.getHttpServer()).post('/test-probe').send(body).expect(201);

      expect(response.body).toEqual(body);
    });

    it('lists validation failures with nested field paths', async () => {
      const response = await request(app.getHttpServer())
        .post('/test-probe')
        .send({ label: '', items: [{ quantity: 1 }, { quantity: 0, colour: 'red' }], extra: true })
        .expect(400);

      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body).toMatchObject({
        type: `${PROBLEM_TYPE_BASE_URI}validation-failed`,
        title: 'Request validation failed',
        status: 400,
        instance: '/test-probe',
      });
      const errors = response.body.errors as { field: string; reason: string }[];
      expect(errors.map((e) => e.field).sort()).toEqual(['extra', 'items[1].colour', 'items[1].quantity', 'label']);
      expect(errors).toContainEqual({ field: 'items[1].quantity', reason: 'quantity must not be less than 1' });
      expect(errors).toContainEqual({ field: 'extra', reason: 'property extra should not exist' });
    });

    it('answers an unexpected error with a bare 500 that leaks nothing', async () => {
      const response = await request(app.getHttpServer()).get('/test-probe/crash').expect(500);

      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body).toEqual({
        type: `${PROBLEM_TYPE_BASE_URI}internal-error`,
        title: 'Internal server error',
        status: 500,
        detail: 'An unexpected error occurred; it has been logged.',
        instance: '/test-probe/crash',
      });
      expect(response.text).not.toMatch(/hunter2|\/var\/lib|at .*\.ts/);
    });

    it('maps StoreUnavailableError to 503 without the internal reason', async () => {
      const response = await request(app.getHttpServer()).get('/test-probe/store-down').expect(503);

      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body).toMatchObject({
        type: `${PROBLEM_TYPE_BASE_URI}store-unavailable`,
        title: 'Event store unavailable',
        status: 503,
        instance: '/test-probe/store-down',
      });
      expect(response.text).not.toMatch(/SQLITE_IOERR|\/var\/lib/);
    });
  });
});
