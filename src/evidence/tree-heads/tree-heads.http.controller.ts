import { Controller, Get, Header, Inject, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '../../auth/public.decorator';
import { ApiPublic } from '../../platform/http/openapi';
import { invalidFieldProblem } from '../../platform/http/validation';
import type { SignedTreeHead } from './tree-head';
import {
  EvidenceLookupError,
  TreeHeadLog,
  type ConsistencyProofAnswer,
  type InclusionProofAnswer,
  type LogPublicKey,
} from './tree-head-log';
import {
  CheckpointQueryDto,
  ConsistencyProofQueryDto,
  DEFAULT_TREE_HEADS_PAGE,
  InclusionProofQueryDto,
  TreeHeadsQueryDto,
} from './tree-heads.dto';

/**
 * The signed Merkle log, open to everyone: verifying the ledger must not need an account.
 * Rate-limited like every route (per client IP for callers without a token).
 */
@Public()
@ApiPublic()
@ApiTags('evidence')
@Controller('evidence')
export class TreeHeadsHttpController {
  constructor(@Inject(TreeHeadLog) private readonly log: TreeHeadLog) {}

  @Get('public-key')
  publicKey(): LogPublicKey {
    return this.log.publicKey();
  }

  @Get('tree-heads/latest')
  latest(): SignedTreeHead {
    const head = this.log.latest();
    if (head === undefined) throw new EvidenceLookupError('no-such-tree-head', 404, 'no tree head has been signed yet');
    return head;
  }

  /**
   * `?treeSize=N`: the earliest head of that size; `?before=ISO`: the last head before then;
   * otherwise a page `{ items, nextAfter }` of heads oldest first (`?after=<nextAfter>&limit=`).
   */
  @Get('tree-heads')
  heads(@Query() query: TreeHeadsQueryDto): SignedTreeHead | { items: SignedTreeHead[]; nextAfter: string | null } {
    const modes = [query.treeSize !== undefined, query.before !== undefined, query.after !== undefined || query.limit !== undefined].filter(
      Boolean,
    );
    if (modes.length > 1) throw invalidFieldProblem('treeSize', 'give one of treeSize, before, or after/limit');
    if (query.treeSize !== undefined) return this.log.headAtSize(query.treeSize);
    if (query.before !== undefined) return this.log.headBefore(new Date(query.before).toISOString());
    const after = query.after === undefined ? '' : new Date(query.after).toISOString();
    return this.log.list(after, query.limit ?? DEFAULT_TREE_HEADS_PAGE);
  }

  @Get('checkpoint')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiOperation({
    summary: 'The latest signed checkpoint (C2SP tlog-checkpoint), or the one of a signed head’s size',
    description:
      'A C2SP signed note (https://c2sp.org/signed-note): the origin (LOG_ORIGIN), the tree size, the base64 RFC 6962 root hash ' +
      '(the root of the signed tree head of that size), a blank line and the log’s Ed25519 signature line ' +
      '`— <origin> base64(key ID || signature)`. Verify it with `checkpointVerifierKey` from GET /evidence/public-key. ' +
      'Signed once with its head and answered byte for byte the same every time; witnesses cosign this text.',
  })
  @ApiOkResponse({
    description: 'The checkpoint note, UTF-8 text.',
    content: {
      'text/plain': {
        schema: { type: 'string' },
        example:
          'seizure-custody-ledger/3f1c0a9b2d4e5f60\n42\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n— seizure-custody-ledger/3f1c0a9b2d4e5f60 <base64 key ID and signature>\n',
      },
    },
  })
  @ApiNotFoundResponse({
    description: '`no-such-checkpoint`: none signed yet, or none at that size (heads signed before checkpoints existed).',
  })
  checkpoint(@Query() query: CheckpointQueryDto): string {
    return this.log.checkpoint(query.treeSize);
  }

  @Get('inclusion-proof')
  inclusionProof(@Query() query: InclusionProofQueryDto): InclusionProofAnswer {
    if ((query.eventHash === undefined) === (query.globalPosition === undefined)) {
      throw invalidFieldProblem('eventHash', 'give exactly one of eventHash and globalPosition');
    }
    const event =
      query.eventHash !== undefined ? { eventHash: query.eventHash.toLowerCase() } : { globalPosition: query.globalPosition as number };
    return this.log.inclusionProof(event, query.treeSize);
  }

  @Get('consistency-proof')
  consistencyProof(@Query() query: ConsistencyProofQueryDto): ConsistencyProofAnswer {
    return this.log.consistencyProof(query.firstSize, query.secondSize);
  }
}
