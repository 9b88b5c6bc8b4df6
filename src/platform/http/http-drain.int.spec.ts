import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpDrain } from './http-drain';

interface Answer {
  status: number;
  connection: string | undefined;
  body: string;
}

/** One GET over the given agent; resolves with the answer or rejects with the connection error. */
function get(port: number, path: string, agent: Agent): Promise<Answer> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res: IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end();
  });
}

describe('HttpDrain (real HTTP server)', () => {
  let server: Server;
  let drain: HttpDrain;
  let port: number;
  let agent: Agent;
  /** Requests the handler holds until the test releases them. */
  const held = new Map<string, ServerResponse>();
  const arrived: string[] = [];

  beforeEach(async () => {
    server = createServer((req, res) => {
      arrived.push(req.url ?? '');
      if (req.url === '/quick') return res.end('quick');
      if (req.url === '/stream') res.flushHeaders();
      held.set(req.url ?? '', res);
    });
    drain = new HttpDrain(server);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as AddressInfo).port;
    agent = new Agent({ keepAlive: true, maxSockets: 10 });
  });

  afterEach(() => {
    agent.destroy();
    server.closeAllConnections();
    server.close();
    held.clear();
    arrived.length = 0;
  });

  const until = async (condition: () => boolean): Promise<void> => {
    while (!condition()) await new Promise((r) => setTimeout(r, 10));
  };

  it('answers the request in flight, on a connection it then closes, and refuses new connections meanwhile', async () => {
    const slow = get(port, '/slow', agent);
    await until(() => held.has('/slow'));
    expect(drain.inFlight).toBe(1);

    const drained = drain.drain(60_000);
    await expect(get(port, '/quick', new Agent())).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    held.get('/slow')?.end('slow');

    await expect(slow).resolves.toEqual({ status: 200, connection: 'close', body: 'slow' });
    await expect(drained).resolves.toEqual({ cut: 0 });
    expect(drain.inFlight).toBe(0);
  });

  it('is not held open by an idle keep-alive connection', async () => {
    await expect(get(port, '/quick', agent)).resolves.toMatchObject({ status: 200, connection: 'keep-alive' });
    expect(agent.freeSockets).not.toEqual({});

    await expect(drain.drain(60_000)).resolves.toEqual({ cut: 0 });
  });

  it('closes a streamed response’s connection once the stream ends', async () => {
    const stream = get(port, '/stream', agent);
    await until(() => held.has('/stream'));

    const drained = drain.drain(60_000);
    held.get('/stream')?.end('last words');

    await expect(stream).resolves.toEqual({ status: 200, connection: 'keep-alive', body: 'last words' });
    await expect(drained).resolves.toEqual({ cut: 0 });
  });

  it('cuts what is still unanswered when the grace period ends, and counts it', async () => {
    const stuck = get(port, '/stuck', agent);
    await until(() => held.has('/stuck'));

    await expect(drain.drain(100)).resolves.toEqual({ cut: 1 });
    await expect(stuck).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('finishes at once when nothing is in flight', async () => {
    await expect(drain.drain(60_000)).resolves.toEqual({ cut: 0 });
    expect(arrived).toEqual([]);
  });
});
