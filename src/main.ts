import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from './bootstrap';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';
import { tightenDataFileModes } from './config/file-modes';
import { stopGracefullyOnSignals } from './graceful-stop';
import { EVENT_STORE, EventStore } from './ledger/event-store';

const logger = new Logger('Bootstrap');

async function main(): Promise<void> {
  let config: AppConfig;
  let app: NestExpressApplication;
  try {
    config = loadConfig(process.env, process.cwd());
    // After loadConfig has refused exposed keys, so that only data files are tightened here.
    tightenDataFileModes(config.dataDir, (message) => logger.warn(message));
    // Creating the app may still find configuration at fault (e.g. an unreadable generated secret file).
    app = await createApp(config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // An operator error, not a crash: the message says what to fix; a stack trace would only bury it.
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
    return;
  }

  // Drains HTTP before Nest's hooks close the databases, then exits 0: an orderly stop, not death by signal.
  stopGracefullyOnSignals(app, config.shutdownGraceMs);
  try {
    await app.listen(config.port, config.host);
  } catch (error) {
    await app.close();
    throw error;
  }

  const store = app.get<EventStore>(EVENT_STORE);
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  logger.log(`listening on http://${host}:${config.port}`);
  logger.log(`event store: ${store.kind}; data dir: ${config.dataDir}`);
}

main().catch((error: unknown) => {
  logger.fatal(
    `start-up failed: ${error instanceof Error ? error.message : String(error)}`,
    error instanceof Error ? error.stack : undefined,
  );
  process.exit(1);
});
