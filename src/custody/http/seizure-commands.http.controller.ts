import { Body, Controller, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentActor } from '../../auth/current-actor.decorator';
import { Roles } from '../../auth/roles.decorator';
import type { Actor } from '../../shared/actor';
import { CLOCK, type Clock } from '../../shared/clock';
import { EVENT_STORE, type EventStore } from '../../ledger/event-store';
import type { SeizureCommand } from '../command';
import { PERSONAL_DATA_SEALING, type PersonalDataSealing } from '../sealing/personal-data-sealing';
import type { CommandOutcome } from '../handle-command';
import { executeSeizureCommand } from './execute-command';
import { IfMatchHeader } from './revision-headers';
import {
  AcceptTransferRequest,
  ClearIncomeTaxRequest,
  CloseFirRequest,
  CloseIncomeTaxProceedingsRequest,
  ConfirmDepositRequest,
  DepositCashRequest,
  DisposeItemsRequest,
  DisposeOfCourtProceedingsRequest,
  InitiateTransferRequest,
  OrderReleaseRequest,
  RaiseReleaseDisputeRequest,
  RecordCorrectionRequest,
  RecordSeizureRequest,
  ReferToIncomeTaxRequest,
  RegisterFirRequest,
  RejectTransferRequest,
  ReleaseItemsRequest,
  ResolveReleaseDisputeRequest,
  ValueItemsRequest,
} from './seizure-command.dto';

const SeizureId = () => Param('seizureId', new ParseUUIDPipe());
const IfMatch = () => Headers('if-match');

/**
 * One route per command. Each turns its body into a command and hands it to the command handler;
 * the rules live in decide, the actor comes from the verified token, never from the body.
 */
@Controller('seizures')
export class SeizureCommandsHttpController {
  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    @Inject(PERSONAL_DATA_SEALING) readonly sealing: PersonalDataSealing,
    @Inject(CLOCK) readonly clock: Clock,
  ) {}

  @Post()
  @Roles('officer')
  async recordSeizure(@Body() body: RecordSeizureRequest, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response) {
    const command: SeizureCommand = {
      type: 'RecordSeizure',
      data: {
        ...body,
        seizureId: body.seizureId.toLowerCase(),
        magistrate: body.magistrate ?? null,
        vehicleNumber: body.vehicleNumber ?? null,
        seizedFrom: { ...body.seizedFrom, idDocument: body.seizedFrom.idDocument ?? null, phone: body.seizedFrom.phone ?? null },
      },
    };
    const outcome = await this.execute(command.data.seizureId, command, actor, undefined, res);
    // A retried record that changed nothing is not a creation.
    res.status(outcome.events.length > 0 ? 201 : 200).location(`/seizures/${outcome.seizureId}`);
    return outcome;
  }

  @IfMatchHeader()
  @Post(':seizureId/valuations')
  @HttpCode(200)
  @Roles('officer', 'custodian')
  valueItems(
    @SeizureId() id: string,
    @Body() body: ValueItemsRequest,
    @CurrentActor() actor: Actor,
    @IfMatch() ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.execute(id, { type: 'ValueItems', data: body }, actor, ifMatch, res);
  }

  @IfMatchHeader()
  @Post(':seizureId/transfers')
  @HttpCode(200)
  @Roles('officer', 'custodian', 'treasury')
  initiateTransfer(
    @SeizureId() id: string,
    @Body() body: InitiateTransferRequest,
    @CurrentActor() actor: Actor,
    @IfMatch() ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.execute(
      id,
      { type: 'InitiateCustodyTransfer', data: { ...body, transferId: body.transferId.toLowerCase() } },
      actor,
      ifMatch,
      res,
    );
  }

  @IfMatchHeader()
  @Post(':seizureId/transfers/:transferId/accept')
  @HttpCode(200)
  @Roles('officer', 'custodian', 'treasury')
  acceptTransfer(
    @SeizureId() id: string,
    @Param('transferId', new ParseUUIDPipe()) transferId: string,
    @Body() body: AcceptTransferRequest,
    @CurrentActor() actor: Actor,
    @IfMatch() ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.execute(
      id,
      { type: 'AcceptCustodyTransfer', data: { ...body, transferId: transferId.toLowerCase() } },
      actor,
      ifMatch,
      res,
    );
  }

  @IfMatchHeader()
  @Post(':seizureId/transfers/:transferId/reject')
  @HttpCode(200)
  @Roles('officer', 'custodian', 'treasury')
  rejectTransfer(
    @SeizureId() id: string,
    @Param('transferId', new ParseUUIDPipe()) transferId: string,
    @Body() body: RejectTransferRequest,
    @CurrentActor() actor: Actor,
    @IfMatch() ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.execute(
      id,
      { type: 'RejectCustodyTransfer', data: { ...body, transferId: transferId.toLowerCase() } },
      actor,
      ifMatch,
      res,
    );
  }

  @IfMatchHeader()
  @Post(':seizureId/deposits')
  @HttpCode(200)
  @Roles('officer', 'custodian', 'treasury')
  depositCash(
    @SeizureId() id: string,
    @Body() body: DepositCashRequest,
    @CurrentActor() actor: Actor,
    @IfMatch() ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.execute(id, { type: 'DepositCash', data: body }, actor, ifMatch, res);
  }

  @IfMatchHeader()
  @Post(':seizureId/deposits/:challanNumber/confirm')
  @HttpCode(200)
  @Roles('treasury')
  confirmDeposit(
    @SeizureId() id: string,
    @Param('challanNumber') challanNumber: string,
    @Body() body: ConfirmDepositRequest,
    @CurrentActor() actor: Actor,
    @IfMatch() ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.execute(id, { type: 'ConfirmDeposit', data: { ...body, challanNumber } }, actor, ifMatch, res);
  }

  @IfMatchHeader()
  @Post(':seizureId/income-tax-referrals')
  @HttpCode(200)
  @Roles('officer', 'committee')
  referToIncomeTax(
    @SeizureId() id: string,
    @Body() body: ReferToIncomeTaxRequest,
    @CurrentActor() actor: Actor,
    @IfMatch() ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.execute(id, { type: 'ReferToIncomeTax', data: body }, actor, ifMatch, res);
  }

  @IfMatchHeader()
  @Post(':seizureId/income-tax-clearances')
  @HttpCode(200)
  @Roles('officer')
  clearIncomeTax(
    @SeizureId() id: string,
    @Body() body: ClearIncomeTaxRequest,
    @CurrentActor() actor: Actor,
    @IfMatch() ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.execute(id, { type: 'ClearIncomeTax', data: body }, actor, ifMatch, res);
  }

  @IfMatchHeader()
  @Post(':seizureId/firs')
  @HttpCode(200)
  @Roles('officer')
  registerFir(
    @SeizureId() id: string,
    @Body() body: RegisterFirRequest,
    @CurrentActor() actor: Actor,
    @IfMatch() ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.execute(id, { type: 'RegisterFir', data: body }, actor, ifMatch, res);
  }

  @IfMatchHeader()
  @Post(':seizureId/release-orders')
  @HttpCode(200)
  @Roles('committee', 'court')
  orderRelease(
    @SeizureId() id: string,
    @Body() body: OrderReleaseRequest,
    @CurrentActor() actor: Actor,
    @IfMatch() ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const command: SeizureCommand = {
      type: 'OrderRelease',
      data: { ...body, releaseTo: { name: body.releaseTo.name, idDocument: body.releaseTo.idDocument ?? null } },
    };
    return this.execute(id, command, actor, ifMatch, res);
  }

  @IfMatchHeader()
  @Post(':seizureId/releases')
  @HttpCode(200)
  @Roles('officer', 'custodian', 'treasury')
  releaseItems(
    @SeizureId() id: string,
    @Body() body: ReleaseItemsRequest,
    @CurrentActor() actor: Actor,
    @IfMatch() ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.execute(id, { type: 'ReleaseItems', data: body }, actor, ifMatch, res);
  }

  @IfMatchHeader()
  @Post(':seizureId/disposals')
  @HttpCode(200)
  @Roles('committee', 'court')
  disposeItems(
    @SeizureId() id: string,
    @Body() body: DisposeItemsRequest,
    @CurrentActor() actor: Actor,
    @IfMatch() ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.execute(id, { type: 'DisposeItems', data: body }, actor, ifMatch, res);
  }

  @IfMatchHeader()
  @Post(':seizureId/corrections')
  @HttpCode(200)
  @Roles('officer', 'custodian', 'treasury', 'committee', 'court', 'admin')
  recordCorrection(
    @SeizureId() id: string,
    @Body() body: RecordCorrectionRequest,
    @CurrentActor() actor: Actor,
    @IfMatch() ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.execute(
      id,
      { type: 'RecordCorrection', data: { ...body, correctsEventId: body.correctsEventId.toLowerCase() } },
      actor,
      ifMatch,
      res,
    );
  }

  /** Record that the seizure's FIR ended: closure report accepted, or trial ended. */
  @IfMatchHeader()
  @Post(':seizureId/fir-closures')
  @HttpCode(200)
  @Roles('officer')
  closeFir(
    @SeizureId() id: string,
    @Body() body: CloseFirRequest,
    @CurrentActor() actor: Actor,
    @IfMatch() ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.execute(id, { type: 'CloseFir', data: body }, actor, ifMatch, res);
  }

  /** Record that the court's proceedings on the seizure are disposed of. */
  @IfMatchHeader()
  @Post(':seizureId/court-proceedings-disposals')
  @HttpCode(200)
  @Roles('court')
  disposeOfCourtProceedings(
    @SeizureId() id: string,
    @Body() body: DisposeOfCourtProceedingsRequest,
    @CurrentActor() actor: Actor,
    @IfMatch() ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.execute(id, { type: 'DisposeOfCourtProceedings', data: body }, actor, ifMatch, res);
  }

  /** Record that the Income Tax proceedings on a referred seizure are closed (Income Tax officers only). */
  @IfMatchHeader()
  @Post(':seizureId/income-tax-proceedings-closures')
  @HttpCode(200)
  @Roles('officer')
  closeIncomeTaxProceedings(
    @SeizureId() id: string,
    @Body() body: CloseIncomeTaxProceedingsRequest,
    @CurrentActor() actor: Actor,
    @IfMatch() ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.execute(id, { type: 'CloseIncomeTaxProceedings', data: body }, actor, ifMatch, res);
  }

  /** Record a dispute over the release of items, before the District Grievance Committee. */
  @IfMatchHeader()
  @Post(':seizureId/release-disputes')
  @HttpCode(200)
  @Roles('committee')
  raiseReleaseDispute(
    @SeizureId() id: string,
    @Body() body: RaiseReleaseDisputeRequest,
    @CurrentActor() actor: Actor,
    @IfMatch() ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.execute(
      id,
      { type: 'RaiseReleaseDispute', data: { ...body, disputeId: body.disputeId.toLowerCase() } },
      actor,
      ifMatch,
      res,
    );
  }

  /** Record how the committee resolved a release dispute. */
  @IfMatchHeader()
  @Post(':seizureId/release-disputes/:disputeId/resolution')
  @HttpCode(200)
  @Roles('committee')
  resolveReleaseDispute(
    @SeizureId() id: string,
    @Param('disputeId', new ParseUUIDPipe()) disputeId: string,
    @Body() body: ResolveReleaseDisputeRequest,
    @CurrentActor() actor: Actor,
    @IfMatch() ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.execute(id, { type: 'ResolveReleaseDispute', data: { ...body, disputeId: disputeId.toLowerCase() } }, actor, ifMatch, res);
  }

  private execute(
    seizureId: string,
    command: SeizureCommand,
    actor: Actor,
    ifMatch: string | undefined,
    res: Response,
  ): Promise<CommandOutcome> {
    return executeSeizureCommand(this, seizureId, command, actor, ifMatch, res);
  }
}
