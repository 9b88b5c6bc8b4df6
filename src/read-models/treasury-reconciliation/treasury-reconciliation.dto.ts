import { Matches } from 'class-validator';

const ID = /^[A-Za-z0-9][A-Za-z0-9._\-/]{0,63}$/;

/** `GET /treasuries/:treasuryId/reconciliation` path parameters. */
export class TreasuryParamsDto {
  /** The treasury's unit id, as custodians and deposits name it, e.g. TR-VNS. */
  @Matches(ID, { message: 'treasuryId must be a treasury id such as TR-VNS' })
  treasuryId!: string;
}
