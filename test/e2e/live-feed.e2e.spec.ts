import { randomUUID } from 'node:crypto';
import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testToken } from '../../src/auth/auth.test-support';
import type { RecordedEvent } from '../../src/ledger/event-store';
import { LiveFeed } from '../../src/read-models/live-feed/live-feed';
import type { Actor } from '../../src/shared/actor';
import { FixedClock } from '../../src/shared/clock';
import { LIQUOR, actors, recordSeizureCommand } from '../support/custody-fixtures';
import { startE2eApp, type E2eApp } from '../support/e2e-app';

jest.setTimeout(60_000);

interface SseEvent {
  id: number;
  event: string;
  data: {
    seizureId: string;
    type: string;
    revision: number;
    globalPosition: number;
    occurredAt: string;
    actorSub: string;
    hash: string;
    data: Record<string, unknown>;
    redacted: boolean;
  };
}

/** A Server-Sent Events client on node's http, as a browser's EventSource reads the stream. */
class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  status = 0;
  headers: IncomingHttpHeaders = {};
  body = '';
  ended = false;
  private buffer = '';
  private request!: ClientRequest;

  static open(port: number, path: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient();
    return new Promise((resolve, reject) => {
      client.request = httpRequest({ host: '127.0.0.1', port, path, headers: { Accept: 'text/event-stream', ...headers } }, (response) => {
        client.status = response.statusCode ?? 0;
        client.headers = response.headers;
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => client.receive(chunk));
        response.on('end', () => (client.ended = true));
        response.on('close', () => (client.ended = true));
        // Resolved once the stream is open (its first bytes arrived) or the refusal is complete.
        if (client.status === 200) response.once('data', () => resolve(client));
        else response.on('end', () => resolve(client));
      });
      client.request.on('error', (error) => (client.ended ? undefined : reject(error)));
      client.request.end();
    });
  }

  private receive(chunk: string): void {
    if (this.status !== 200) {
      this.body += chunk;
      return;
    }
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const fields: Record<string, string> = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
        else {
          const colon = line.indexOf(':');
          fields[line.slice(0, colon)] = line.slice(colon + 1).replace(/^ /, '');
        }
      }
      if (fields.data !== undefined)
        this.events.push({ id: Number(fields.id), event: fields.event, data: JSON.parse(fields.data) as SseEvent['data'] });
    }
  }

  get ids(): number[] {
    return this.events.map((e) => e.id);
  }

  async waitFor(condition: (client: SseClient) => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition(this)) {
      if (Date.now() > deadline) throw new Error(`stream did not get there in time; ids so far: ${this.ids.join(', ')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** The client goes away, as a closed browser tab does. */
  close(): void {
    this.request.destroy();
  }
}

describe('live feed over HTTP (e2e, SQLite)', () => {
  let e2e: E2eApp;
  let port: number;
  const open: SseClient[] = [];

  const bearer = (actor: Actor) => ({ Authorization: `Bearer ${e2e.tokenFor(actor)}` });
  const stream = async (actor: Actor | null, query = '', headers: Record<string, string> = {}) => {
    const client = await SseClient.open(port, `/events/stream${query}`, { ...(actor ? bearer(actor) : {}), ...headers });
    open.push(client);
    return client;
  };
  const post = (path: string, actor: Actor, body: object) => e2e.http().post(path).set(bearer(actor)).send(body);
  /** Real places: the district's own assembly and parliamentary constituencies. */
  const PLACES = {
    'UP-VNS': { district: 'UP-VNS', assemblyConstituency: 390, parliamentaryConstituency: 77 },
    'UP-LKO': { district: 'UP-LKO', assemblyConstituency: 173, parliamentaryConstituency: 35 },
  } as const;
  const recordSeizure = async (actor: Actor, district: keyof typeof PLACES = 'UP-VNS') => {
    const seizureId = randomUUID();
    const base = recordSeizureCommand({ seizureId }).data;
    const response = await post('/seizures', actor, { ...base, location: { ...base.location, ...PLACES[district] } }).expect(201);
    return { seizureId, position: response.body.globalPosition as number };
  };
  const revalue = async (seizureId: string, valuePaise: number) =>
    (
      await post(`/seizures/${seizureId}/valuations`, actors.flyingSquad, {
        valuations: [{ itemId: LIQUOR, valuePaise }],
        basis: 'count',
        reason: `revalued to ${valuePaise}`,
      }).expect(200)
    ).body.globalPosition as number;

  beforeAll(async () => {
    // Appends race the readers here; the rate limits have their own tests.
    e2e = await startE2eApp({ env: { RATE_LIMIT_BURST_PER_SECOND: '100000', RATE_LIMIT_PER_MINUTE: '1000000' } });
    await e2e.app.listen(0, '127.0.0.1');
    port = (e2e.app.getHttpServer().address() as AddressInfo).port;
  });
  afterEach(async () => {
    for (const client of open.splice(0)) client.close();
    const feed = e2e.app.get(LiveFeed);
    await new Promise<void>((done) => {
      const check = () => (feed.openStreams() === 0 ? done() : setTimeout(check, 10));
      check();
    });
  });
  afterAll(async () => {
    await e2e.close();
  });

  it('streams new events within the caller’s scope, personal data only for roles that may read it', async () => {
    const officer = await stream(actors.flyingSquad);
    const treasury = await stream(actors.treasuryOfficer);
    const lucknow = await stream(actors.outOfDistrict);
    expect(officer.status).toBe(200);
    expect(officer.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(officer.headers['cache-control']).toBe('no-store');

    const varanasi = await recordSeizure(actors.flyingSquad);
    const lko = await recordSeizure(actors.outOfDistrict, 'UP-LKO');
    const valued = await revalue(varanasi.seizureId, 124_000_000);

    await officer.waitFor((c) => c.ids.includes(valued));
    await treasury.waitFor((c) => c.ids.includes(valued));
    await lucknow.waitFor((c) => c.ids.includes(lko.position));
    await new Promise((r) => setTimeout(r, 100));
    expect(officer.ids).toEqual([varanasi.position, valued]);
    expect(treasury.ids).toEqual([varanasi.position, valued]);
    expect(lucknow.ids).toEqual([lko.position]);

    const [stored] = await e2e.store.readAll({ fromPosition: varanasi.position - 1, maxCount: 1 });
    expect(officer.events[0]).toEqual({
      id: varanasi.position,
      event: 'SeizureRecorded',
      data: {
        seizureId: varanasi.seizureId,
        type: 'SeizureRecorded',
        revision: 0,
        globalPosition: varanasi.position,
        occurredAt: e2e.clock.now(),
        actorSub: actors.flyingSquad.sub,
        hash: stored.hash,
        data: expect.objectContaining({ memoNumber: 'FS3/VNS/2024/117', seizedFrom: expect.objectContaining({ name: 'रमेश चंद्र' }) }),
        redacted: false,
      },
    });
    expect(officer.events[1]).toMatchObject({
      event: 'ItemsValued',
      data: { revision: 1, data: { valuations: [{ itemId: LIQUOR, valuePaise: 124_000_000 }] } },
    });
    expect(treasury.events[0].data.redacted).toBe(true);
    expect(treasury.events[0].data.data).toMatchObject({ seizedFrom: { redacted: true }, witnesses: { redacted: true } });
    // The valuation's basis and reason are free text: withheld too.
    expect(treasury.events[1].data).toMatchObject({ redacted: true, data: { reason: { redacted: true }, basis: { redacted: true } } });
    expect(JSON.stringify(treasury.events)).not.toContain('XXXX-XXXX-4321');
  });

  it('resumes from Last-Event-ID after a disconnect with no event lost or repeated, while appends go on', async () => {
    const start = await e2e.lastPosition();
    const seizures = [
      await recordSeizure(actors.flyingSquad),
      await recordSeizure(actors.flyingSquad),
      await recordSeizure(actors.outOfDistrict, 'UP-LKO'),
    ];
    let appending = true;
    const appends = (async () => {
      for (let i = 1; i <= 45; i++) {
        const s = seizures[i % seizures.length];
        await post(`/seizures/${s.seizureId}/valuations`, s === seizures[2] ? actors.outOfDistrict : actors.flyingSquad, {
          valuations: [{ itemId: LIQUOR, valuePaise: 1_000 + i }],
          basis: 'count',
          reason: `step ${i}`,
        }).expect(200);
      }
      appending = false;
    })();

    /** Reads in rounds: connect with Last-Event-ID, take a few events, drop the connection, repeat. */
    const readInRounds = async (actor: Actor, expectedOf: (events: RecordedEvent[]) => number[]) => {
      const received: number[] = [];
      let lastId = start;
      let roundsDuringAppends = 0;
      for (let round = 0; round < 3; round++) {
        const client = await stream(actor, '', { 'Last-Event-ID': String(lastId) });
        await client.waitFor((c) => c.events.length >= 4 || !appending);
        client.close();
        if (appending && client.events.length > 0) roundsDuringAppends++;
        received.push(...client.ids);
        lastId = received.at(-1) ?? lastId;
      }
      await appends;
      const expected = expectedOf(await e2e.store.readAll({ fromPosition: start }));
      // The last reconnect uses ?lastEventId=, as a first connection would.
      const rest = await stream(actor, `?lastEventId=${lastId}`);
      await rest.waitFor((c) => lastId === expected.at(-1) || c.ids.includes(expected.at(-1) ?? -1));
      await new Promise((r) => setTimeout(r, 100));
      received.push(...rest.ids);
      return { received, expected, roundsDuringAppends };
    };

    const inVaranasi = new Set(seizures.slice(0, 2).map((s) => `seizure-${s.seizureId}`));
    // The court sees the whole country; Varanasi's officer only its district. Both read while appends go on.
    const [court, officer] = await Promise.all([
      readInRounds(actors.court, (events) => events.map((e) => e.globalPosition)),
      readInRounds(actors.flyingSquad, (events) => events.filter((e) => inVaranasi.has(e.streamName)).map((e) => e.globalPosition)),
    ]);
    expect(court.expected).toHaveLength(48);
    expect(court.received).toEqual(court.expected);
    expect(officer.expected).toHaveLength(32);
    expect(officer.received).toEqual(officer.expected);
    // The disconnects really happened mid-stream, while events were still being appended.
    expect(court.roundsDuringAppends).toBeGreaterThanOrEqual(2);
  });

  it('takes the token from ?access_token= on this route only', async () => {
    const viaQuery = await stream(null, `?access_token=${e2e.tokenFor(actors.court)}`);
    expect(viaQuery.status).toBe(200);
    const elsewhere = await e2e.http().get(`/seizures/${randomUUID()}?access_token=${e2e.tokenFor(actors.court)}`);
    expect(elsewhere.status).toBe(401);
    const none = await stream(null);
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ type: expect.stringMatching(/\/unauthorized$/), instance: '/events/stream' });
    const forged = await stream(null, '?access_token=not.a.token');
    expect(forged.status).toBe(401);
  });

  describe('token expiry', () => {
    /** Expired long before now (and beyond the clock tolerance). */
    const expired = () => testToken({ ...actors.court, ttlSeconds: 60 }, { clock: new FixedClock('2024-04-20T05:00:00.000Z') });
    /** Every way of sending one token that a lenient or second parser might read differently. */
    const headerForms = (token: string): [string, string][] => {
      const [header, payload, signature] = token.split('.');
      return [
        ['Bearer x', `Bearer ${token}`],
        ['bearer x', `bearer ${token}`],
        ['BEARER x', `BEARER ${token}`],
        ['Bearer  x ', `Bearer  ${token} `],
        ['Bearer x\\t', `Bearer ${token}\t`],
        ['padded signature', `Bearer ${token}=`],
        ['padded payload', `Bearer ${header}.${payload}==.${signature}`],
        ['padded header', `Bearer ${header}=.${payload}.${signature}`],
      ];
    };
    const queryForms = (token: string): string[] => [token, `${token}%20`, `%20${token}`, `${token}%09`, `${token}%3D`, `${token}%3D%3D`];
    const refusedAsInvalid = (status: number, headers: IncomingHttpHeaders, form: string) => {
      expect({ form, status }).toEqual({ form, status: 401 });
      expect({ form, challenge: headers['www-authenticate'] }).toEqual({
        form,
        challenge: expect.stringContaining('error="invalid_token"'),
      });
    };

    it('refuses an expired token in every form on a command route, a query route and the live feed', async () => {
      const token = expired();
      for (const [form, authorization] of headerForms(token)) {
        const command = await e2e.http().post('/seizures').set('Authorization', authorization).send(recordSeizureCommand().data);
        refusedAsInvalid(command.status, command.headers, `command, ${form}`);
        const query = await e2e.http().get('/seizures').set('Authorization', authorization);
        refusedAsInvalid(query.status, query.headers, `query, ${form}`);
        const feed = await stream(null, '', { Authorization: authorization });
        refusedAsInvalid(feed.status, feed.headers, `live feed, ${form}`);
      }
      for (const form of queryForms(token)) {
        const feed = await stream(null, `?access_token=${form}`);
        refusedAsInvalid(feed.status, feed.headers, `live feed, ?access_token=${form}`);
      }
    });

    it('says the token has expired whatever the spacing or the case of the scheme', async () => {
      const token = expired();
      for (const [form, authorization] of headerForms(token).slice(0, 4)) {
        const query = await e2e.http().get('/seizures').set('Authorization', authorization);
        expect({ form, detail: query.body.detail }).toEqual({ form, detail: 'Invalid token: token has expired' });
      }
      const feed = await stream(null, `?access_token=${token}%20`);
      expect(JSON.parse(feed.body)).toMatchObject({ detail: 'Invalid token: token has expired' });
    });

    it.each([
      ['a header', (token: string) => ['', { Authorization: `Bearer ${token}` }] as const],
      ['a header with trailing spaces', (token: string) => ['', { Authorization: `bearer  ${token}  ` }] as const],
      ['?access_token=', (token: string) => [`?access_token=${token}`, {}] as const],
      ['?access_token= with a trailing space', (token: string) => [`?access_token=${token}%20`, {}] as const],
    ])('closes the stream when its token expires, sent in %s', async (_form, send) => {
      const [query, headers] = send(testToken({ ...actors.court, ttlSeconds: 2 }));
      const client = await stream(null, query, headers);
      expect(client.status).toBe(200);

      await client.waitFor((c) => c.ended, 5_000);
      expect(client.comments).toContain('token expired; reconnect with a fresh token and Last-Event-ID');
    });
  });

  it('caps the streams one user may hold open (429), and frees a slot when a client disconnects', async () => {
    const clients = [];
    for (let i = 0; i < 5; i++) clients.push(await stream(actors.auditor));
    expect(clients.map((c) => c.status)).toEqual([200, 200, 200, 200, 200]);
    const sixth = await stream(actors.auditor);
    expect(sixth.status).toBe(429);
    expect(sixth.headers['retry-after']).toBe('30');
    expect(JSON.parse(sixth.body)).toMatchObject({ type: expect.stringMatching(/\/too-many-streams$/), status: 429 });
    // Someone else is not affected.
    expect((await stream(actors.committee)).status).toBe(200);

    clients[0].close();
    const feed = e2e.app.get(LiveFeed);
    await new Promise<void>((done) => {
      const check = () => (feed.openStreams(actors.auditor.sub) === 4 ? done() : setTimeout(check, 10));
      check();
    });
    expect((await stream(actors.auditor)).status).toBe(200);
  });

  it('refuses a Last-Event-ID that is not a position', async () => {
    const bad = await stream(actors.court, '', { 'Last-Event-ID': 'yesterday' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ type: expect.stringMatching(/\/invalid-last-event-id$/) });
  });
});

describe('live feed on shutdown (e2e)', () => {
  it('ends open streams, so the server can stop', async () => {
    const e2e = await startE2eApp();
    await e2e.app.listen(0, '127.0.0.1');
    const port = (e2e.app.getHttpServer().address() as AddressInfo).port;
    const client = await SseClient.open(port, '/events/stream', { Authorization: `Bearer ${e2e.tokenFor(actors.court)}` });
    await e2e.close();
    await client.waitFor((c) => c.ended);
    expect(client.comments).toContain('the server is shutting down; reconnect with Last-Event-ID');
  });
});
