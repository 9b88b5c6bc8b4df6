import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Body, Controller, Post, type LoggerService } from '@nestjs/common';
import { IsString } from 'class-validator';
import { IDEMPOTENCY_FILENAME } from '../../src/platform/http/idempotency/idempotency.module';
import { actors, recordSeizureCommand, SEIZURE_ID } from '../support/custody-fixtures';
import { startE2eApp, type E2eApp } from '../support/e2e-app';
import { filesHolding, withSidecars } from '../support/marker-scan';

const MARKER = 'PDMARK-Ramesh-9876543210';
const PHONE_DIGITS = '9876543210';
/** Every string of the request that is personal data, as the scan looks for it. */
const SECRETS = [MARKER, PHONE_DIGITS, 'PDMARK'];

/** Keeps every line of every level, as the most verbose LOG_LEVEL would print it. */
class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  private keep = (...args: unknown[]): void => {
    this.lines.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
  };
  log = this.keep;
  error = this.keep;
  warn = this.keep;
  debug = this.keep;
  verbose = this.keep;
  fatal = this.keep;
}

class EchoBodyDto {
  @IsString()
  name!: string;
}

/** A test-only command that answers with what it was sent, as any route might one day. */
@Controller('idempotency-echo')
class EchoHttpController {
  @Post()
  echo(@Body() body: EchoBodyDto): { echoed: string } {
    return { echoed: body.name };
  }
}

const markedSeizure = (name = MARKER) =>
  recordSeizureCommand({
    seizedFrom: { name, idDocument: null, address: `${MARKER} house, Sigra`, phone: `+91${PHONE_DIGITS}` },
    witnesses: [
      { name: `${MARKER}-witness`, address: `${MARKER} lane, Cantt` },
      { name: 'Shabana Bano', address: `Lahurabir, phone +91${PHONE_DIGITS}` },
    ],
  }).data;

describe('Idempotency-Key records at rest (e2e)', () => {
  let e2e: E2eApp;
  let logger: CapturingLogger;
  let files: string[];

  beforeEach(async () => {
    logger = new CapturingLogger();
    e2e = await startE2eApp({ env: { LOG_LEVEL: 'verbose' }, logger, controllers: [EchoHttpController] });
    files = withSidecars(join(e2e.config.dataDir, IDEMPOTENCY_FILENAME));
  });

  afterEach(async () => {
    await e2e.close();
  });

  const post = (path: string, body: object, key: string) =>
    e2e
      .http()
      .post(path)
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.flyingSquad)}`)
      .set('Idempotency-Key', key)
      .send(body);

  it('the scan finds a marker planted in another file of the data dir (positive control)', () => {
    const planted = join(e2e.config.dataDir, 'planted.bin');
    writeFileSync(planted, Buffer.concat([randomBytes(4096), Buffer.from(MARKER, 'utf8'), randomBytes(4096)]));

    expect(filesHolding(MARKER, [...files, planted])).toEqual([planted]);
  });

  it('keeps no clear copy of a command holding personal data, and still replays it and refuses another body', async () => {
    const first = await post('/seizures', markedSeizure(), 'seizure-1').expect(201);
    const position = await e2e.lastPosition();

    const replayed = await post('/seizures', markedSeizure(), 'seizure-1').expect(201);

    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.text).toBe(first.text);
    for (const header of ['content-type', 'etag', 'location']) expect(replayed.headers[header]).toBe(first.headers[header]);
    expect(first.headers.location).toBe(`/seizures/${SEIZURE_ID}`);
    expect(await e2e.lastPosition()).toBe(position);

    const reused = await post('/seizures', markedSeizure('PDMARK-Suresh-9876543210'), 'seizure-1').expect(422);
    expect(reused.body).toMatchObject({ type: expect.stringContaining('idempotency-key-reused') });

    // A refused body is kept (and replayed) like any other answer; it too must not be in clear.
    const invalid = { ...markedSeizure(), seizedFrom: { name: MARKER, address: 'Sigra', phone: `${MARKER}-not-a-phone` } };
    const refused = await post('/seizures', invalid, 'seizure-2').expect(400);
    const echoed = await post('/idempotency-echo', { name: MARKER }, 'echo-1').expect(201);
    expect(echoed.body).toEqual({ echoed: MARKER });
    expect((await post('/idempotency-echo', { name: MARKER }, 'echo-1').expect(201)).text).toBe(echoed.text);
    const refusedAgain = await post('/seizures', invalid, 'seizure-2').expect(400);
    expect(refusedAgain.text).toBe(refused.text);
    expect(refusedAgain.headers['idempotent-replayed']).toBe('true');

    for (const secret of SECRETS) expect({ secret, in: filesHolding(secret, files) }).toEqual({ secret, in: [] });
    await e2e.close();
    for (const secret of SECRETS) expect({ secret, in: filesHolding(secret, files) }).toEqual({ secret, in: [] });
    // The capture works (this line is logged on close), and no line at any level holds the body.
    expect(logger.lines.filter((line) => line.startsWith('idempotency store closed'))).toHaveLength(1);
    for (const secret of SECRETS) expect(logger.lines.filter((line) => line.includes(secret))).toEqual([]);
  });
});
