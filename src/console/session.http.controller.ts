import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { CurrentActor } from '../auth/current-actor.decorator';
import type { Actor } from '../shared/actor';

/**
 * Who the bearer token says the caller is, as the server verified it. The web console signs in
 * with it: it shows and acts on the server's reading of the token, never on its own decoding.
 */
@ApiTags('session')
@Controller('session')
export class SessionHttpController {
  @Get()
  @ApiOperation({ summary: 'The caller, as verified from the bearer token: sub, name, roles, unit, agency and scope' })
  @ApiOkResponse({ description: '{ sub, name, roles, unit, agency, scope: { national: true } | { national: false, states, districts } }' })
  @ApiUnauthorizedResponse({ description: 'No valid bearer token; the WWW-Authenticate header says why.' })
  session(@CurrentActor() actor: Actor): Actor {
    return actor;
  }
}
