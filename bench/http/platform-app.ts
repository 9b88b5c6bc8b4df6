import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/app-config';
import { stopGracefullyOnSignals } from '../../src/graceful-stop';
import { createFastifyApp } from './fastify-app';

/**
 * The ledger server for the Express-against-Fastify phase: the real application, created as
 * src/main.ts creates it (Express: src/bootstrap.ts's createApp) or on Fastify (fastify-app.ts),
 * both from the sources, so that the two differ in the platform only. PLATFORM from the
 * environment; the rest of the configuration as the server reads it.
 */
export type Platform = 'express' | 'fastify';

async function main(): Promise<void> {
  const platform = process.env.PLATFORM;
  if (platform !== 'express' && platform !== 'fastify') throw new Error(`PLATFORM must be express or fastify (got ${platform})`);
  const config = loadConfig(process.env, process.cwd());
  const app: INestApplication = platform === 'express' ? await createApp(config) : await createFastifyApp(config);
  stopGracefullyOnSignals(app, config.shutdownGraceMs);
  await app.listen(config.port, config.host);
  process.stdout.write(`listening on ${platform}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`platform app failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
