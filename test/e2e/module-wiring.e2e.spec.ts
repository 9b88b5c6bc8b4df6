import { ModulesContainer } from '@nestjs/core';
import { ATTACHMENT_STORE, type AttachmentStore } from '../../src/attachments/attachment-store';
import { APP_CONFIG } from '../../src/config/app-config';
import { SeizureAttachmentsHttpController } from '../../src/custody/http/seizure-attachments.http.controller';
import { SeizureCommandsHttpController } from '../../src/custody/http/seizure-commands.http.controller';
import { HealthHttpController } from '../../src/health/health.http.controller';
import { EVENT_STORE, type EventStore } from '../../src/ledger/event-store';
import { SqliteEventStore } from '../../src/ledger/sqlite/sqlite-event-store';
import { READ_MODEL_DB } from '../../src/projections/projection';
import { CLOCK } from '../../src/shared/clock';
import { startE2eApp, type E2eApp } from '../support/e2e-app';

/**
 * No module of ours is global: the shared ones (config, the event store, the attachment store, the
 * projection runtime) are built once by the composition root and imported by every module that
 * injects them. Building one of them twice would open a second store on the same file.
 */
describe('module wiring (e2e)', () => {
  let e2e: E2eApp;
  let opens: jest.SpyInstance;

  beforeAll(async () => {
    opens = jest.spyOn(SqliteEventStore, 'open');
    e2e = await startE2eApp();
  });

  afterAll(async () => {
    await e2e.close();
    opens.mockRestore();
  });

  it('opens the SQLite event store once', () => {
    expect(opens).toHaveBeenCalledTimes(1);
    expect(opens.mock.results[0].value).toBe(e2e.store);
  });

  it.each([
    ['APP_CONFIG', APP_CONFIG],
    ['EVENT_STORE', EVENT_STORE],
    ['ATTACHMENT_STORE', ATTACHMENT_STORE],
    ['CLOCK', CLOCK],
    ['READ_MODEL_DB', READ_MODEL_DB],
  ])('has exactly one module providing %s', (_name, token) => {
    const providing = [...e2e.app.get(ModulesContainer).values()].filter((module) => module.providers.has(token));
    expect(providing).toHaveLength(1);
  });

  it('hands the one event store and attachment store to every controller that injects them', () => {
    // The controllers keep what they were given in private fields; read them as plain objects.
    type Injected = { store?: EventStore; attachments?: AttachmentStore };
    const injected = (type: abstract new (...args: never[]) => unknown): Injected => e2e.app.get<unknown, Injected>(type);
    expect(injected(SeizureCommandsHttpController).store).toBe(e2e.store);
    expect(injected(HealthHttpController).store).toBe(e2e.store);
    expect(injected(SeizureAttachmentsHttpController).store).toBe(e2e.store);
    expect(injected(SeizureAttachmentsHttpController).attachments).toBe(e2e.app.get(ATTACHMENT_STORE));
  });
});
