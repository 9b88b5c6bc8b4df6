import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../auth/public.decorator';
import { ApiPublic } from '../../platform/http/openapi';
import { WitnessedCheckpoints, type PublishedWitnesses } from './witnessed-checkpoints';

/** The witnesses this log submits its checkpoints to, open to everyone like the rest of /evidence. */
@Public()
@ApiPublic()
@ApiTags('evidence')
@Controller('evidence')
export class WitnessesHttpController {
  constructor(@Inject(WitnessedCheckpoints) private readonly checkpoints: WitnessedCheckpoints) {}

  @Get('witnesses')
  @ApiOperation({
    summary: 'The witnesses that cosign this log’s checkpoints, and how many must cosign before a bundle is issued',
    description:
      'The shape of the verifier’s trust file ({ witnesses: [{ name, verifierKey }], witnessQuorum }). It is the log’s own word: ' +
      'a verifier should take each witness’s key from the witness itself (`seizure-ledger witness key`), not from here.',
  })
  @ApiOkResponse({ description: 'Empty list and quorum 0 when the log has no witnesses.' })
  witnesses(): PublishedWitnesses {
    return this.checkpoints.published();
  }
}
