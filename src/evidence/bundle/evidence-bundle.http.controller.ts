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
import { CustodyHistoryQuery } from '../../read-models/custody-history/custody-history.query';
import { Projector } from '../../read-models/projector/projector';
import { inScope, type Actor } from '../../shared/actor';
import { CLOCK, type Clock } from '../../shared/clock';
import { ProblemHttpException } from '../../shared/http/problem-details.filter';
import type { JsonObject } from '../../shared/json';
import { LogSigningKey } from '../tree-heads/signing-key';
import { TreeHeadLog } from '../tree-heads/tree-head-log';
import { buildEvidenceBundle, type EvidenceBundle } from './evidence-bundle';
import { EvidenceBundleQueryDto } from './evidence-bundle.dto';
import { renderEvidenceBundlePdf } from './evidence-bundle.pdf';

/** How long a request waits for the read models and a signed head to cover the seizure's last event. */
const COVERAGE_WAIT_MS = 15_000;
const POLL_MS = 200;

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

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly heads: TreeHeadLog,
    private readonly key: LogSigningKey,
    private readonly projector: Projector,
    private readonly custodyHistory: CustodyHistoryQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

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
    if (!(await this.projector.waitForPosition(last.globalPosition, COVERAGE_WAIT_MS))) throw this.notYetCovered('the read models');
    const head = await this.headCovering(last.hash);
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
      custodyHistory: this.custodyHistory.seizureHistory(actor, id) as unknown as JsonObject,
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

  /** The latest signed head, once one includes the given event; heads are signed every few seconds. */
  private async headCovering(eventHash: string) {
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
      if (Date.now() > deadline) throw this.notYetCovered('a signed tree head');
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private notYetCovered(what: string): ProblemHttpException {
    return new ProblemHttpException({
      status: HttpStatus.SERVICE_UNAVAILABLE,
      slug: 'evidence-not-yet-signed',
      title: 'Evidence not ready',
      detail: `The seizure's latest event is not yet included in ${what}; retry in a few seconds.`,
    });
  }
}
