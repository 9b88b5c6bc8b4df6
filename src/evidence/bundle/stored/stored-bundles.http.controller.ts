import { Controller, Get, Param, Res, StreamableFile } from '@nestjs/common';
import { ApiProduces } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor } from '../../../auth/current-actor.decorator';
import { Roles } from '../../../auth/roles.decorator';
import { invalidFieldProblem } from '../../../platform/http/validation';
import type { Actor } from '../../../shared/actor';
import type { EvidenceBundle } from '../evidence-bundle.format';
import { renderEvidenceBundlePdf } from '../evidence-bundle.pdf';
import { StoredBundles } from './stored-bundles.service';

/** What the issuing route answers a bundle with; the fetch answers the same. */
export const BUNDLE_CONTENT_TYPE = 'application/json; charset=utf-8';

const BUNDLE_HASH = /^[0-9a-f]{64}$/;

function bundleHashOf(param: string): string {
  const hash = param.toLowerCase();
  if (!BUNDLE_HASH.test(hash))
    throw invalidFieldProblem('bundleHash', 'must be the 64 hexadecimal digits of an issued bundle’s bundleHash');
  return hash;
}

/** The headers an issued bundle is answered with, the first time and every time after. */
export function setBundleHeaders(res: Response, bundleHash: string): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Evidence-Bundle-Hash', bundleHash);
  res.setHeader('ETag', `"${bundleHash}"`);
}

/**
 * GET /evidence/bundles/:bundleHash: a bundle this ledger issued (GET /seizures/:id/evidence),
 * again, byte for byte — same bytes, Content-Type and ETag (the bundleHash). `.pdf` answers its
 * print, made from those bytes, so the hash on the certificate is that bundleHash. The roles that
 * issue bundles, within their scope of the seizure. 410 `stored-bundle-erased` once personal data
 * it holds was erased, naming the erasure; 404 for a hash never issued here.
 */
@Controller('evidence/bundles')
export class StoredBundlesHttpController {
  constructor(private readonly bundles: StoredBundles) {}

  // Declared before ':bundleHash', which would otherwise take '<hash>.pdf' as a hash (and refuse it).
  @Get(':bundleHash.pdf')
  @Roles('court', 'committee', 'officer')
  @ApiProduces('application/pdf')
  async pdf(
    @Param('bundleHash') param: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const hash = bundleHashOf(param);
    const { bytes, seizureId } = await this.bundles.fetch(hash, actor);
    const pdf = await renderEvidenceBundlePdf(JSON.parse(bytes.toString('utf8')) as EvidenceBundle);
    setBundleHeaders(res, hash);
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `attachment; filename="evidence-${seizureId}.pdf"`,
      length: pdf.length,
    });
  }

  @Get(':bundleHash')
  @Roles('court', 'committee', 'officer')
  @ApiProduces('application/json')
  async json(
    @Param('bundleHash') param: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const hash = bundleHashOf(param);
    const { bytes, seizureId } = await this.bundles.fetch(hash, actor);
    setBundleHeaders(res, hash);
    return new StreamableFile(bytes, {
      type: BUNDLE_CONTENT_TYPE,
      disposition: `attachment; filename="evidence-${seizureId}.json"`,
      length: bytes.length,
    });
  }
}
