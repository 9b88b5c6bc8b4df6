import { Body, Controller, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentActor } from '../../auth/current-actor.decorator';
import { Roles } from '../../auth/roles.decorator';
import type { Actor } from '../../shared/actor';
import { CLOCK, type Clock } from '../../shared/clock';
import { EVENT_STORE, type EventStore } from '../../ledger/event-store';
import { PERSONAL_DATA_SEALING, type PersonalDataSealing } from '../sealing/personal-data-sealing';
import { executeSeizureCommand } from './execute-command';
import { IfMatchHeader } from './revision-headers';
import { ErasePersonalDataRequest } from './personal-data-erasure.dto';

/**
 * Erasure of a seizure's personal data (DPDP Act 2023): recorded as PersonalDataErased, then the
 * subjects' keys are destroyed. The rules (who, when, under which order) live in decide.
 */
@Controller('seizures')
export class PersonalDataErasureHttpController {
  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    @Inject(PERSONAL_DATA_SEALING) readonly sealing: PersonalDataSealing,
    @Inject(CLOCK) readonly clock: Clock,
  ) {}

  @IfMatchHeader()
  @Post(':seizureId/personal-data-erasures')
  @HttpCode(200)
  @Roles('admin', 'court')
  erasePersonalData(
    @Param('seizureId', new ParseUUIDPipe()) seizureId: string,
    @Body() body: ErasePersonalDataRequest,
    @CurrentActor() actor: Actor,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const command = { type: 'ErasePersonalData' as const, data: { ...body, courtOrder: body.courtOrder ?? null } };
    return executeSeizureCommand(this, seizureId, command, actor, ifMatch, res);
  }
}
