import type { Actor } from '../../shared/actor';
import type { SeizureCommand } from '../command';
import type { CommandContext } from '../command-context';
import { decide } from '../decide';
import type { SeizureEvent } from '../events';
import { evolve } from '../evolve';
import { initialSeizureState, type SeizureState } from '../state';
import type { Custodian, SealCheck } from '../values';
import { deciderSpecification } from '../../../test/support/decider-specification';
import { CASH, LIQUOR, NOW, actors, custodians, seizureRecorded } from '../../../test/support/custody-fixtures';

/**
 * The seizure histories and commands the decide specs share: a recorded seizure, its cash handed
 * to the treasury, deposits, Income Tax, an FIR and a release order, and builders for commands.
 */

export const spec = deciderSpecification<SeizureCommand, SeizureEvent, SeizureState, CommandContext>({
  decide,
  evolve,
  initialState: initialSeizureState,
});
export const as = (actor: Actor): CommandContext => ({ actor, now: NOW });
export type History = Array<SeizureEvent & { actorSub?: string; eventId?: string; occurredAt?: string; sealed?: boolean }>;

export const recorded = seizureRecorded();
export const cashToTreasury = {
  type: 'CustodyTransferInitiated' as const,
  actorSub: actors.flyingSquad.sub,
  data: {
    transferId: 't-1',
    itemIds: [CASH],
    from: custodians.flyingSquad,
    to: custodians.treasury,
    sealNumbers: ['S-1001'],
    reason: 'deposit',
  },
};
export const treasuryAccepted = {
  type: 'CustodyTransferAccepted' as const,
  actorSub: actors.treasuryOfficer.sub,
  data: {
    transferId: 't-1',
    itemIds: [CASH],
    from: custodians.flyingSquad,
    to: custodians.treasury,
    seals: [{ number: 'S-1001', condition: 'intact' as const }],
    countedQuantities: [{ itemId: CASH, quantity: 125_000_000 }],
    remarks: '',
  },
};
export const deposited = {
  type: 'CashDeposited' as const,
  actorSub: actors.treasuryOfficer.sub,
  data: { challanNumber: 'CH-88', treasury: custodians.treasury, itemIds: [CASH], amountPaise: 125_000_000, depositedOn: '2024-04-20' },
};
export const referred = {
  type: 'ReferredToIncomeTax' as const,
  data: { referenceNumber: 'IT-1', office: 'ITO Varanasi', cashTotalPaise: 125_000_000, remarks: '' },
};
export const cleared = { type: 'IncomeTaxCleared' as const, data: { referenceNumber: 'IT-1', clearanceNumber: 'CLR-1', remarks: '' } };
export const fir = {
  type: 'FirRegistered' as const,
  data: { firNumber: '112/2024', policeStation: 'Cantt', registeredOn: '2024-04-19', sections: ['60 Excise Act'] },
};
export const dgcOrder = (itemIds: string[]) => ({
  type: 'ReleaseOrdered' as const,
  data: {
    orderNumber: 'DGC-7',
    authority: 'dgc' as const,
    orderedOn: '2024-04-20',
    itemIds,
    releaseTo: { name: 'रमेश चंद्र', idDocument: null },
    reasons: 'No FIR; business cash with bank slips',
  },
});

export const transfer = (overrides: Partial<{ itemIds: string[]; to: Custodian; transferId: string }> = {}): SeizureCommand => ({
  type: 'InitiateCustodyTransfer',
  data: {
    transferId: 't-2',
    itemIds: [LIQUOR],
    to: custodians.malkhana,
    sealNumbers: ['S-1002', 'S-1003'],
    reason: 'case property',
    ...overrides,
  },
});
export const accept = (overrides: Partial<{ seals: SealCheck[]; quantity: number; transferId: string }> = {}): SeizureCommand => ({
  type: 'AcceptCustodyTransfer',
  data: {
    transferId: overrides.transferId ?? 't-1',
    seals: overrides.seals ?? [{ number: 'S-1001', condition: 'intact' }],
    countedQuantities: [{ itemId: CASH, quantity: overrides.quantity ?? 125_000_000 }],
    remarks: 'checked in the strong room',
  },
});
export const deposit = (amountPaise = 125_000_000): SeizureCommand => ({
  type: 'DepositCash',
  data: {
    challanNumber: 'CH-88',
    treasury: { id: 'TR-VNS', name: 'District Treasury Varanasi' },
    itemIds: [CASH],
    amountPaise,
    depositedOn: '2024-04-20',
  },
});
export const release = (itemIds = [CASH]): SeizureCommand => ({
  type: 'ReleaseItems',
  data: {
    orderNumber: 'DGC-7',
    itemIds,
    releasedTo: { name: 'रमेश चंद्र', idDocument: { type: 'aadhaar', number: 'XXXX-4321' } },
    identityChecked: true,
    remarks: '',
  },
});
export const orderRelease = (itemIds = [CASH], orderNumber = 'DGC-7'): SeizureCommand => ({
  type: 'OrderRelease',
  data: {
    orderNumber,
    orderedOn: '2024-04-20',
    itemIds,
    releaseTo: { name: 'रमेश चंद्र', idDocument: null },
    reasons: 'No FIR; business cash',
  },
});
export const dispose = (itemIds = [LIQUOR]): SeizureCommand => ({
  type: 'DisposeItems',
  data: { orderNumber: 'CJM/2024/55', orderedOn: '2024-04-20', method: 'destroyed', itemIds, remarks: '' },
});
