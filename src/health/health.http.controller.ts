import { Controller, Get, Header, Inject, Logger, Optional, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Public } from '../auth/public.decorator';
import { EVENT_STORE, EventStore, StoreHealth } from '../ledger/event-store';
import type { ProjectorHealth } from '../projections/projector-health';
import { READ_MODEL_PROGRESS, type ReadModelProgress } from '../projections/read-model-progress';
import { ApiPublic } from '../platform/http/openapi';
import { SkipRateLimit } from '../platform/http/rate-limit/rate-limit.module';

/** Injection token of the running build's version, as reported by /health. */
export const APP_VERSION = Symbol('AppVersion');

/** A store that does not answer within this is reported unavailable rather than hanging the probe. */
export const HEALTH_TIMEOUT_MS = 3000;

export interface HealthResponse {
  /**
   * 'degraded': commands work, but the projector stopped or one or more read models failed on an
   * event (`projector.failedReadModels` names each, with the event's position, id, type and stream
   * and the error's message — never the event's data; `projector.detail` sums it up). The other
   * read models, the Merkle log and tree-head signing go on; `projector.position` and `lag` are
   * those of the read models that have not failed. Still 200: the instance serves commands and
   * every query but those of a failed read model, so it should stay in rotation.
   */
  status: 'ok' | 'degraded' | 'unavailable';
  store: StoreHealth;
  /** Present when the read models run in this process. */
  projector?: ProjectorHealth;
  version: string;
}

// Unauthenticated and unthrottled by design: load balancers and orchestrators probe it.
@Public()
@ApiPublic()
@SkipRateLimit()
@Controller('health')
export class HealthHttpController {
  private readonly logger = new Logger(HealthHttpController.name);

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_VERSION) private readonly version: string,
    private readonly adapterHost: HttpAdapterHost,
    @Optional() @Inject(READ_MODEL_PROGRESS) private readonly projector?: ReadModelProgress,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async check(@Res({ passthrough: true }) response: unknown): Promise<HealthResponse> {
    const store = await this.probeStore();
    if (!store.reachable) {
      this.logger.warn(`${store.kind} store unreachable: ${store.detail ?? 'no detail'}`);
      this.adapterHost.httpAdapter.status(response, 503);
    }
    const projector = this.projector?.health(store.lastGlobalPosition);
    const degraded = projector !== undefined && (projector.status === 'failed' || projector.failedReadModels !== undefined);
    if (degraded) this.logger.warn(`read models degraded: ${projector.detail ?? 'no detail'}`);
    // A failed projector or read model leaves commands working, so the instance stays in rotation (200).
    const status = !store.reachable ? 'unavailable' : degraded ? 'degraded' : 'ok';
    return { status, store, ...(projector && { projector }), version: this.version };
  }

  private async probeStore(): Promise<StoreHealth> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<StoreHealth>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            kind: this.store.kind,
            reachable: false,
            lastGlobalPosition: null,
            detail: `no answer within ${HEALTH_TIMEOUT_MS} ms`,
          }),
        HEALTH_TIMEOUT_MS,
      );
    });
    try {
      return await Promise.race([this.store.health(), timeout]);
    } catch (error) {
      // health() should report rather than throw; an adapter that throws is still unavailable.
      return {
        kind: this.store.kind,
        reachable: false,
        lastGlobalPosition: null,
        detail: error instanceof Error ? error.message : 'health check failed',
      };
    } finally {
      clearTimeout(timer);
    }
  }
}
