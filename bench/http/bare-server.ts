import { ChildServer, freePort } from './child-server';
import { httpPost } from './http-get';
import { sleep, startScriptNodeFlags } from './ledger-server';
import type { Platform } from './platform-app';
import { sourceLoaderArgs } from './source-loader';

/** Starts bare-app.ts in a process of its own (with the server's node flags), on Express unless told, and waits until its route answers. */
export async function startBareServer(root: string, platform: Platform = 'express'): Promise<{ process: ChildServer; baseUrl: string }> {
  const port = await freePort();
  const child = ChildServer.start(
    `bare NestJS app on ${platform}`,
    [...startScriptNodeFlags(root), ...sourceLoaderArgs(), 'bench/http/bare-app.ts'],
    {
      cwd: root,
      env: { ...process.env, PORT: String(port), PLATFORM: platform },
    },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (!child.running) throw new Error(`the bare app exited during start-up:\n${child.output()}`);
    const answer = await httpPost(`${baseUrl}/bare`, {}, '{"seizureId":"probe"}').catch(() => null);
    if (answer?.status === 201) return { process: child, baseUrl };
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`the bare app did not answer within 60 s:\n${child.output()}`);
    }
    await sleep(100);
  }
}
