import { hostname } from 'node:os';
import { Controller, Get, HttpStatus, Inject, Param, ParseUUIDPipe, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiProduces } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor } from '../../auth/current-actor.decorator';
import { Roles } from '../../auth/roles.decorator';
import { OutOfScope, SeizureNotFound } from '../../custody/business-logic';
import { loadSeizure } from '../../custody/handle-command';
import { toSeizureProblem } from '../../custody/http/seizure-problems';
import { readPackageVersion } from '../../health/health.module';
import { EVENT_STORE, type EventStore } from '../../ledger/event-store';
import { Projector } from '../../projections/projector';
import { readModelFailedProblem } from '../../projections/read-model-failed.problem';
import { inScope, type Actor } from '../../shared/actor';
import { CLOCK, type Clock } from '../../shared/clock';
import { ProblemHttpException } from '../../shared/http/problem-details.filter';
import { merkleLogProjection } from '../merkle/merkle-log.projection';
import { LogSigningKey } from '../tree-heads/signing-key';
import { TreeHeadLog } from '../tree-heads/tree-head-log';
import { CUSTODY_HISTORY_SOURCE, type CustodyHistorySource } from './custody-history-source';
import { buildEvidenceBundle, type EvidenceBundle } from './evidence-bundle';
import { EvidenceBundleQueryDto } from './evidence-bundle.dto';
import { renderEvidenceBundlePdf } from './evidence-bundle.pdf';

/** How long a request waits for the read models and a signed head to cover the seizure's last event. */
const COVERAGE_WAIT_MS = 15_000;
const POLL_MS = 200;
/** Heads are signed every few seconds (TREE_HEAD_INTERVAL_SECONDS): worth asking again that soon. */
const RETRY_AFTER_SECONDS = '5';

/**
 * GET /seizures/:id/evidence: the seizure's events in full with their chain hashes, an inclusion
 * proof of each against one signed tree head, the custody history derived from those same events,
 * and Part A of the Section 63 certificate pre-filled. The bundle holds the events exactly as
 * stored — personal data included, since a verifier must recompute every hash — so only the roles
 * that may read personal data may download it. `?format=pdf` answers the same bundle as a printable
 * PDF (evidence-bundle.pdf.ts); `format` is json (default) or pdf.
 */
@Controller('seizures/:seizureId/evidence')
export class EvidenceBundleHttpController {
  private readonly version = readPackageVersion();
  /** The read models a bundle is built from: the custody history, and the Merkle log its proofs come from. */
  private readonly bundleReadModels: readonly string[];

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly heads: TreeHeadLog,
    private readonly key: LogSigningKey,
    private readonly projector: Projector,
    @Inject(CUSTODY_HISTORY_SOURCE) private readonly custodyHistory: CustodyHistorySource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.bundleReadModels = [custodyHistory.readModel, merkleLogProjection.name];
  }

  @Get()
  @Roles('court', 'committee', 'officer')
  @ApiProduces('application/json', 'application/pdf')
  async bundle(
    @Param('seizureId', new ParseUUIDPipe()) seizureId: string,
    @Query() query: EvidenceBundleQueryDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EvidenceBundle | StreamableFile> {
    const id = seizureId.toLowerCase();
    const { state, events } = await loadSeizure(this.store, id);
    const refusal = state.status !== 'recorded' ? SeizureNotFound(id) : !inScope(actor.scope, state.location) ? OutOfScope() : null;
    if (refusal) throw toSeizureProblem(refusal, false);

    const last = events[events.length - 1];
    await this.readModelsCovering(last.globalPosition, res);
    const head = await this.headCovering(last.hash, res);
    const inclusion = events.map((e) => {
      const proof = this.heads.inclusionProof({ eventHash: e.hash }, head.treeSize);
      return { eventId: e.id, leafIndex: proof.leafIndex, proof: proof.proof };
    });

    const bundle = buildEvidenceBundle({
      seizureId: id,
      events,
      inclusion,
      treeHead: head,
      publicKey: this.key.publicKeyBase64,
      custodyHistory: this.custodyHistory.seizureHistory(actor, id),
      generatedAt: this.clock.now(),
      server: { system: 'Seizure Custody Ledger', version: this.version, host: hostname(), storeKind: this.store.kind },
      place: `${actor.unit} (unit of ${actor.name})`,
    });
    res.setHeader('Cache-Control', 'no-store');
    if (query.format === 'pdf') {
      const pdf = await renderEvidenceBundlePdf(bundle);
      return new StreamableFile(pdf, { type: 'application/pdf', disposition: `attachment; filename="evidence-${id}.pdf"`, length: pdf.length });
    }
    res.setHeader('Content-Disposition', `attachment; filename="evidence-${id}.json"`);
    return bundle;
  }

  /**
   * Waits until the bundle's read models include the seizure's last event. Waits for those two
   * only: a failure of any other read model does not hold bundles up. One of them that failed
   * before that event will not get there until the software is fixed: read-model-failed.
   */
  private async readModelsCovering(position: number, res: Response): Promise<void> {
    if (await this.projector.waitForPosition(position, COVERAGE_WAIT_MS, this.bundleReadModels)) return;
    const failed = this.projector.failedAmong(this.bundleReadModels);
    if (failed.length > 0) throw readModelFailedProblem(failed);
    if (this.projector.status === 'failed') throw this.projectorStopped();
    throw this.notYetCovered('the read models', res);
  }

  /** The latest signed head, once one includes the given event; heads are signed every few seconds. */
  private async headCovering(eventHash: string, res: Response) {
    const deadline = Date.now() + COVERAGE_WAIT_MS;
    for (;;) {
      const head = this.heads.latest();
      if (head) {
        try {
          this.heads.inclusionProof({ eventHash }, head.treeSize);
          return head;
        } catch {
          // Not in this head yet: the next signing will include it.
        }
      }
      if (Date.now() > deadline) {
        const failed = this.projector.failedAmong([merkleLogProjection.name]);
        throw failed.length > 0 ? readModelFailedProblem(failed) : this.notYetCovered('a signed tree head', res);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** The read-model database itself failed: nothing moves until the server is restarted, so no Retry-After. */
  private projectorStopped(): ProblemHttpException {
    return new ProblemHttpException({
      status: HttpStatus.SERVICE_UNAVAILABLE,
      slug: 'evidence-not-yet-signed',
      title: 'Evidence not ready',
      detail: "The read models stopped before the seizure's latest event; retrying will not help until the cause is fixed and the server restarted.",
    });
  }

  /** Still on its way (not failed): worth retrying soon, as Retry-After says. */
  private notYetCovered(what: string, res: Response): ProblemHttpException {
    res.setHeader('Retry-After', RETRY_AFTER_SECONDS);
    return new ProblemHttpException({
      status: HttpStatus.SERVICE_UNAVAILABLE,
      slug: 'evidence-not-yet-signed',
      title: 'Evidence not ready',
      detail: `The seizure's latest event is not yet included in ${what}; retry in a few seconds.`,
    });
  }
}
