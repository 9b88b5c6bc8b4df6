import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Body, Controller, HttpStatus, Inject, Injectable, Post, Res } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { IsInt, IsOptional, IsString, Length } from 'class-validator';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { FROM_SOURCES_APP_OPTIONS } from '../support/projector-worker';
import { TEST_ACTOR, TEST_JWT_SECRET, testToken } from '../../src/auth/auth.test-support';
import { CurrentActor } from '../../src/auth/current-actor.decorator';
import { applicationOptions, configureApp } from '../../src/bootstrap';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { EVENT_STORE, EventStore } from '../../src/ledger/event-store';
import type { Actor } from '../../src/shared/actor';
import { CLOCK, FixedClock } from '../../src/shared/clock';
import { IDEMPOTENCY_FILENAME } from '../../src/platform/http/idempotency/idempotency.module';
import { PROBLEM_TYPE_BASE_URI, ProblemHttpException } from '../../src/platform/http/problem-details.filter';

const STREAM = 'probe-appends';

class AppendBodyDto {
  @IsString()
  @Length(1, 40)
  note!: string;

  @IsOptional()
  @IsInt()
  amount?: number;
}

/** What the probe routes do next; tests switch it to make a handler fail or refuse. */
@Injectable()
class ProbeBehaviour {
  delayMs = 0;
  serverErrorsLeft = 0;
  refusalsLeft = 0;
}

/**
 * Test-only command routes shaped like the custody commands: each call appends one event with a
 * fresh id to the real event store and answers 201 with ETag and Location, so any run of the
 * handler beyond the first shows up as an extra event.
 */
@Controller('idempotency-probe')
class AppendProbeHttpController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly behaviour: ProbeBehaviour,
  ) {}

  @Post('appends')
  async append(
    @Body() body: AppendBodyDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<{ revision: number; position: number; note: string; by: string }> {
    if (this.behaviour.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.behaviour.delayMs));
    if (this.behaviour.serverErrorsLeft > 0) {
      this.behaviour.serverErrorsLeft--;
      throw new Error('simulated crash before the append');
    }
    if (this.behaviour.refusalsLeft > 0) {
      this.behaviour.refusalsLeft--;
      throw new ProblemHttpException({
        status: HttpStatus.CONFLICT,
        slug: 'probe-refused',
        title: 'Refused by the probe',
        detail: 'The probe refuses this command once.',
      });
    }
    const result = await this.store.appendToStream(STREAM, [
      { id: randomUUID(), type: 'ProbeAppended', data: { note: body.note, amount: body.amount ?? null, by: actor.sub } },
    ]);
    response.setHeader('ETag', `"${result.nextExpectedRevision}"`);
    response.setHeader('Location', `/idempotency-probe/appends/${result.lastGlobalPosition}`);
    return { revision: result.nextExpectedRevision, position: result.lastGlobalPosition, note: body.note, by: actor.sub };
  }

  @Post('other')
  async other(@Body() body: AppendBodyDto): Promise<{ position: number }> {
    const result = await this.store.appendToStream(STREAM, [{ id: randomUUID(), type: 'ProbeAppended', data: { note: body.note } }]);
    return { position: result.lastGlobalPosition };
  }
}

const PROBLEM_JSON = /^application\/problem\+json/;

describe('Idempotency-Key (e2e, SQLite store)', () => {
  let root: string;
  let config: AppConfig;
  let app: NestExpressApplication;
  let store: EventStore;
  let clock: FixedClock;
  let behaviour: ProbeBehaviour;
  const token = testToken();
  const otherToken = testToken({ sub: 'u-18', name: 'Ravi Kumar' });

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
    config = loadConfig({ LEDGER_DATA_DIR: join(root, 'data'), JWT_SECRET: TEST_JWT_SECRET }, root);
    clock = new FixedClock('2024-04-20T06:00:00.000Z');
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot(config, FROM_SOURCES_APP_OPTIONS)],
      controllers: [AppendProbeHttpController],
      providers: [ProbeBehaviour],
    })
      .overrideProvider(CLOCK)
      .useValue(clock)
      .compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ ...applicationOptions(config), logger: false });
    configureApp(app, config);
    await app.init();
    store = app.get<EventStore>(EVENT_STORE);
    behaviour = app.get(ProbeBehaviour);
  });

  afterEach(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  const appended = async (): Promise<number> => (await store.health()).lastGlobalPosition ?? 0;

  const post = (body: unknown, options: { key?: string; as?: string; path?: string } = {}): request.Test => {
    const call = request(app.getHttpServer())
      .post(options.path ?? '/idempotency-probe/appends')
      .set('Authorization', `Bearer ${options.as ?? token}`);
    if (options.key !== undefined) call.set('Idempotency-Key', options.key);
    return call.send(body as object);
  };

  it('keeps its records in their own file in the data dir', () => {
    expect(existsSync(join(config.dataDir, IDEMPOTENCY_FILENAME))).toBe(true);
  });

  it('appends once for the same Idempotency-Key sent five times, replaying the first response', async () => {
    const first = await post({ note: 'bag 7' }, { key: 'k-1' }).expect(201);
    const replays: request.Response[] = [];
    for (let i = 0; i < 4; i++) replays.push(await post({ note: 'bag 7' }, { key: 'k-1' }).expect(201));

    expect(await appended()).toBe(1);
    expect(first.body).toEqual({ revision: 0, position: 1, note: 'bag 7', by: TEST_ACTOR.sub });
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    for (const replay of replays) {
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.text).toBe(first.text);
      expect(replay.headers['content-type']).toBe(first.headers['content-type']);
      expect(replay.headers.etag).toBe('"0"');
      expect(replay.headers.location).toBe('/idempotency-probe/appends/1');
    }
  });

  it('runs only one of five concurrent requests with the same key; the others get 409 or the replay', async () => {
    behaviour.delayMs = 150;

    const responses = await Promise.all(Array.from({ length: 5 }, () => post({ note: 'bag 8' }, { key: 'k-2' })));

    expect(await appended()).toBe(1);
    const executed = responses.filter((r) => r.status === 201 && r.headers['idempotent-replayed'] === undefined);
    expect(executed).toHaveLength(1);
    for (const response of responses.filter((r) => r !== executed[0])) {
      if (response.status === 201) {
        expect(response.headers['idempotent-replayed']).toBe('true');
        continue;
      }
      expect(response.status).toBe(409);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.headers['retry-after']).toBe('1');
      expect(response.body).toMatchObject({ type: `${PROBLEM_TYPE_BASE_URI}idempotency-key-in-use`, status: 409 });
    }
    expect(responses.filter((r) => r.status === 409).length).toBeGreaterThan(0);

    const retry = await post({ note: 'bag 8' }, { key: 'k-2' }).expect(201);
    expect(retry.text).toBe(executed[0].text);
    expect(await appended()).toBe(1);
  });

  it('answers the same key with another body with 422 and appends nothing more', async () => {
    await post({ note: 'bag 9' }, { key: 'k-3' }).expect(201);

    const response = await post({ note: 'bag 10' }, { key: 'k-3' }).expect(422);

    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toMatchObject({
      type: `${PROBLEM_TYPE_BASE_URI}idempotency-key-reused`,
      status: 422,
      instance: '/idempotency-probe/appends',
    });
    expect(await appended()).toBe(1);
  });

  it('treats the same body with other key order and spacing as the same request', async () => {
    const first = await request(app.getHttpServer())
      .post('/idempotency-probe/appends')
      .set('Authorization', `Bearer ${token}`)
      .set('Idempotency-Key', 'k-4')
      .set('Content-Type', 'application/json')
      .send('{"note":"bag 11","amount":5}')
      .expect(201);

    const again = await request(app.getHttpServer())
      .post('/idempotency-probe/appends')
      .set('Authorization', `Bearer ${token}`)
      .set('Idempotency-Key', 'k-4')
      .set('Content-Type', 'application/json')
      .send('{ "amount": 5.0,\n  "note": "bag 11" }')
      .expect(201);

    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.text).toBe(first.text);
    expect(await appended()).toBe(1);
  });

  it('appends twice for two POSTs without the header', async () => {
    await post({ note: 'bag 12' }).expect(201);
    const second = await post({ note: 'bag 12' }).expect(201);

    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(await appended()).toBe(2);
  });

  it('keeps another user with the same key independent', async () => {
    const mine = await post({ note: 'bag 13' }, { key: 'shared-key' }).expect(201);
    const theirs = await post({ note: 'bag 13' }, { key: 'shared-key', as: otherToken }).expect(201);
    // Even with another body: their key is theirs, so no 422 either.
    await post({ note: 'bag 14' }, { key: 'shared-key', as: otherToken }).expect(422);

    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(mine.body.by).toBe(TEST_ACTOR.sub);
    expect(theirs.body.by).toBe('u-18');
    expect(await appended()).toBe(2);
  });

  it('keeps the same key on another route independent', async () => {
    await post({ note: 'bag 15' }, { key: 'k-5' }).expect(201);
    await post({ note: 'bag 15' }, { key: 'k-5', path: '/idempotency-probe/other' }).expect(201);

    expect(await appended()).toBe(2);
  });

  it.each([
    ['too long', 'k'.repeat(256)],
    ['empty', ''],
  ])('refuses a key that is %s with 400 before running the handler', async (_case, key) => {
    const response = await post({ note: 'bag 16' }, { key }).expect(400);

    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body.type).toBe(`${PROBLEM_TYPE_BASE_URI}invalid-idempotency-key`);
    expect(await appended()).toBe(0);
  });

  it('does not keep the key after a 5xx, so the retry runs again', async () => {
    behaviour.serverErrorsLeft = 1;

    await post({ note: 'bag 17' }, { key: 'k-6' }).expect(500);
    const retry = await post({ note: 'bag 17' }, { key: 'k-6' }).expect(201);

    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(await appended()).toBe(1);
    await post({ note: 'bag 17' }, { key: 'k-6' }).expect(201).expect('Idempotent-Replayed', 'true');
  });

  it('keeps a 4xx answer and replays it, even once the request would now succeed', async () => {
    behaviour.refusalsLeft = 1;

    const first = await post({ note: 'bag 18' }, { key: 'k-7' }).expect(409);
    const replay = await post({ note: 'bag 18' }, { key: 'k-7' }).expect(409);

    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(replay.headers['cache-control']).toBe('no-store');
    expect(replay.text).toBe(first.text);
    expect(await appended()).toBe(0);
    await post({ note: 'bag 18' }, { key: 'k-8' }).expect(201);
  });

  it('replays a validation failure as it was first answered', async () => {
    const first = await post({ note: '' }, { key: 'k-9' }).expect(400);
    const replay = await post({ note: '' }, { key: 'k-9' }).expect(400);

    expect(first.body.type).toBe(`${PROBLEM_TYPE_BASE_URI}validation-failed`);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.text).toBe(first.text);
  });

  it('forgets a key after 24 hours', async () => {
    await post({ note: 'bag 19' }, { key: 'k-10' }).expect(201);

    clock.advance(24 * 60 * 60 * 1000 - 1);
    await post({ note: 'bag 19' }, { key: 'k-10' }).expect(201).expect('Idempotent-Replayed', 'true');
    clock.advance(1);
    const fresh = await post({ note: 'bag 19' }, { key: 'k-10' }).expect(201);

    expect(fresh.headers['idempotent-replayed']).toBeUndefined();
    expect(await appended()).toBe(2);
  });

  it('refuses 10,000 nested arrays with 400 too-deeply-nested and appends nothing', async () => {
    const response = await request(app.getHttpServer())
      .post('/idempotency-probe/appends')
      .set('Authorization', `Bearer ${token}`)
      .set('Idempotency-Key', 'k-11')
      .set('Content-Type', 'application/json')
      .send(`${'['.repeat(10_000)}${']'.repeat(10_000)}`)
      .expect(400);

    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toMatchObject({ type: `${PROBLEM_TYPE_BASE_URI}too-deeply-nested`, status: 400 });
    expect(await appended()).toBe(0);
  });

  it('accepts a body nested exactly 32 levels deep as far as the depth check goes', async () => {
    let nested: unknown = 'x';
    for (let i = 0; i < 31; i++) nested = { n: nested };
    // 32 levels with the outer body; the validation pipe then refuses the unknown property.
    const response = await post({ note: 'bag 20', deep: nested }).expect(400);

    expect(response.body.type).toBe(`${PROBLEM_TYPE_BASE_URI}validation-failed`);
  });
});
