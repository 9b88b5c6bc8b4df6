import { Agent, request } from 'node:http';

export interface HttpAnswer {
  status: number;
  body: string;
}

/** One keep-alive connection per client, as a browser or a script reusing its connection has. */
export const keepAliveAgent = (): Agent => new Agent({ keepAlive: true, maxSockets: 1 });

export function httpGet(url: string, headers: Record<string, string> = {}, agent?: Agent): Promise<HttpAnswer> {
  return send('GET', url, headers, undefined, agent);
}

export function httpPost(url: string, headers: Record<string, string>, body: string, agent?: Agent): Promise<HttpAnswer> {
  return send('POST', url, { 'content-type': 'application/json', ...headers }, body, agent);
}

function send(method: string, url: string, headers: Record<string, string>, body: string | undefined, agent?: Agent): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
