import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export const EVIDENCE_BUNDLE_FORMATS = ['json', 'pdf'] as const;
export type EvidenceBundleFormat = (typeof EVIDENCE_BUNDLE_FORMATS)[number];

/** `GET /seizures/:id/evidence` query parameters. */
export class EvidenceBundleQueryDto {
  @ApiPropertyOptional({
    description: 'json (the verifiable bundle, the default) or pdf (its printout with the Section 63 certificate).',
    example: 'pdf',
    enum: EVIDENCE_BUNDLE_FORMATS,
  })
  @IsOptional()
  @IsIn(EVIDENCE_BUNDLE_FORMATS, { message: `format must be one of ${EVIDENCE_BUNDLE_FORMATS.join(', ')}` })
  format?: EvidenceBundleFormat;
}
