import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { Instant } from '../../platform/http/field-rules';

const DIGITS = /^\d{1,16}$/;
const EVENT_HASH = /^[0-9a-fA-F]{64}$/;
/** Query strings are text; only plain digits become numbers, anything else stays and fails IsInt. */
const toInteger = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && DIGITS.test(value) ? Number(value) : value);

export const MAX_TREE_HEADS_PAGE = 1000;
export const DEFAULT_TREE_HEADS_PAGE = 100;

/** `GET /evidence/tree-heads`: one of `treeSize`, `before`, or a page (`after`, `limit`). */
export class TreeHeadsQueryDto {
  @ApiPropertyOptional({ description: 'The earliest head signed at exactly this tree size.', type: 'integer', minimum: 0, example: 13 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'treeSize must be an integer of at least 0' })
  @Min(0, { message: 'treeSize must be an integer of at least 0' })
  treeSize?: number;

  @ApiPropertyOptional({
    description: 'The last head signed strictly before this instant (ISO-8601 with its offset, e.g. 2024-04-19T11:00:00+05:30).',
    example: '2024-04-20T18:00:00+05:30',
  })
  @IsOptional()
  @Instant()
  before?: string;

  @ApiPropertyOptional({
    description: 'Page: heads signed strictly after this instant (a previous page’s nextAfter), oldest first.',
    example: '2024-04-19T00:00:00+05:30',
  })
  @IsOptional()
  @Instant()
  after?: string;

  @ApiPropertyOptional({
    description: `Page size, 1–${MAX_TREE_HEADS_PAGE} (default ${DEFAULT_TREE_HEADS_PAGE}).`,
    type: 'integer',
    minimum: 1,
    maximum: MAX_TREE_HEADS_PAGE,
    example: 50,
  })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: `limit must be an integer from 1 to ${MAX_TREE_HEADS_PAGE}` })
  @Min(1, { message: `limit must be an integer from 1 to ${MAX_TREE_HEADS_PAGE}` })
  @Max(MAX_TREE_HEADS_PAGE, { message: `limit must be an integer from 1 to ${MAX_TREE_HEADS_PAGE}` })
  limit?: number;
}

/** `GET /evidence/inclusion-proof`: exactly one of `eventHash`, `globalPosition`. */
export class InclusionProofQueryDto {
  @ApiPropertyOptional({
    description: "The event's chain hash (64 hex digits), as in GET /seizures/:id/events.",
    pattern: EVENT_HASH.source,
    example: '9f2b6c0e5d4a3b1c8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d',
  })
  @IsOptional()
  @Matches(EVENT_HASH, { message: 'eventHash must be 64 hex digits' })
  eventHash?: string;

  @ApiPropertyOptional({ description: "The event's global position.", type: 'integer', minimum: 1, example: 7 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'globalPosition must be an integer of at least 1' })
  @Min(1, { message: 'globalPosition must be an integer of at least 1' })
  globalPosition?: number;

  @ApiPropertyOptional({ description: 'The size of a signed head (default: the latest head).', type: 'integer', minimum: 0, example: 13 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'treeSize must be an integer of at least 0' })
  @Min(0, { message: 'treeSize must be an integer of at least 0' })
  treeSize?: number;
}

/** `GET /evidence/consistency-proof`: both sizes of signed heads. */
export class ConsistencyProofQueryDto {
  @ApiProperty({ description: 'The size of the earlier signed head (one you kept).', type: 'integer', minimum: 0, example: 7 })
  @Transform(toInteger)
  @IsInt({ message: 'firstSize must be an integer of at least 0' })
  @Min(0, { message: 'firstSize must be an integer of at least 0' })
  firstSize!: number;

  @ApiProperty({ description: 'The size of the later signed head.', type: 'integer', minimum: 0, example: 13 })
  @Transform(toInteger)
  @IsInt({ message: 'secondSize must be an integer of at least 0' })
  @Min(0, { message: 'secondSize must be an integer of at least 0' })
  secondSize!: number;
}

/** `GET /evidence/checkpoint`: the latest checkpoint, or the one of a signed head's size. */
export class CheckpointQueryDto {
  @ApiPropertyOptional({ description: 'The size of a signed head (default: the latest head).', type: 'integer', minimum: 0, example: 13 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'treeSize must be an integer of at least 0' })
  @Min(0, { message: 'treeSize must be an integer of at least 0' })
  treeSize?: number;
}
