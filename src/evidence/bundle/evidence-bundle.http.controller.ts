import { Controller, Get, Inject, Optional, Param, ParseUUIDPipe, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiProduces } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor } from '../../auth/current-actor.decorator';
import { Roles } from '../../auth/roles.decorator';
import type { Actor } from '../../shared/actor';
import { EvidenceBundleQueryDto } from './evidence-bundle.dto';
import { renderEvidenceBundlePdf } from './evidence-bundle.pdf';
import { EvidenceBundleService } from './evidence-bundle.service';
import { BUNDLE_CONTENT_TYPE, setBundleHeaders } from './stored/stored-bundles.http.controller';
import { bundleBytes, StoredBundles } from './stored/stored-bundles.service';

/**
 * GET /seizures/:id/evidence: the seizure's events in full with their chain hashes, an inclusion
 * proof of each against one signed tree head, the custody history derived from those same events,
 * and Part A of the Section 63 certificate pre-filled. The bundle holds the events exactly as
 * stored — personal data included, since a verifier must recompute every hash — so only the roles
 * that may read personal data may download it. `?format=pdf` answers the print of the bundle that
 * request issues (evidence-bundle.pdf.ts): one bundle, one bundleHash on its certificate, and that
 * JSON attached inside the PDF. Both forms name the hash in `X-Evidence-Bundle-Hash` (and ETag).
 * Every bundle issued is kept (stored/): GET /evidence/bundles/<bundleHash> answers the same bytes
 * again, and its print. A bundle downloaded as JSON is also printed offline with `seizure-ledger
 * print`. `format` is json (default) or pdf.
 */
@Controller('seizures/:seizureId/evidence')
export class EvidenceBundleHttpController {
  constructor(
    private readonly bundles: EvidenceBundleService,
    // Named: the union type leaves Nest no class to resolve.
    @Optional() @Inject(StoredBundles) private readonly stored: StoredBundles | null = null,
  ) {}

  @Get()
  @Roles('court', 'committee', 'officer')
  @ApiProduces('application/json', 'application/pdf')
  async bundle(
    @Param('seizureId', new ParseUUIDPipe()) seizureId: string,
    @Query() query: EvidenceBundleQueryDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const id = seizureId.toLowerCase();
    const { bundle, openedWith } = await this.bundles.issue(id, actor);
    // Sent as the bytes kept, so that fetching it again by its hash answers exactly these.
    const bytes = this.stored === null ? bundleBytes(bundle) : await this.stored.keep(bundle, openedWith);
    setBundleHeaders(res, bundle.bundleHash);
    if (query.format === 'pdf') {
      const pdf = await renderEvidenceBundlePdf(bundle);
      return new StreamableFile(pdf, {
        type: 'application/pdf',
        disposition: `attachment; filename="evidence-${id}.pdf"`,
        length: pdf.length,
      });
    }
    return new StreamableFile(bytes, {
      type: BUNDLE_CONTENT_TYPE,
      disposition: `attachment; filename="evidence-${id}.json"`,
      length: bytes.length,
    });
  }
}
