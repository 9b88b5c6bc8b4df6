import { randomUUID } from 'node:crypto';
import type { Actor } from '../../../src/shared/actor';
import { CASH, LIQUOR, actors, custodians, recordSeizureCommand } from '../custody-fixtures';
import type { E2eApp } from '../e2e-app';

/**
 * One valid request for every command endpoint, against a seizure brought into the state where
 * that request succeeds. The fuzzer mutates the valid request; a fresh one is prepared whenever a
 * request was accepted (the state moved on, and ids such as transfer ids are used up).
 */

/** A JSON command: its valid body. */
export interface JsonRequest {
  kind: 'json';
  path: string;
  actor: Actor;
  body: object;
}

/** An attachment upload: raw bytes, with its file name and description in the query string. */
export interface AttachmentRequest {
  kind: 'attachment';
  path: string;
  actor: Actor;
  mediaType: string;
  bytes: Buffer;
  /** Ordered query parameters, so a case can repeat or add one. */
  query: Array<[string, string]>;
}

export type PreparedRequest = (JsonRequest | AttachmentRequest) & { seizureId: string };

export interface CommandEndpoint {
  /** Short name used in summaries: 'record', 'transfer-accept', … */
  name: string;
  /** Body (or query) paths that may be left out or be null. */
  optionalFields: readonly string[];
  prepare(api: SetupApi): Promise<PreparedRequest>;
}

/** A few valid steps through the real API to reach a state; each must succeed. */
export class SetupApi {
  private memo = 0;
  constructor(private readonly e2e: E2eApp) {}

  async post(path: string, actor: Actor, body: object): Promise<{ events: Array<{ eventId: string }> }> {
    const response = await this.e2e
      .http()
      .post(path)
      .set('Authorization', `Bearer ${this.e2e.tokenFor(actor)}`)
      .send(body);
    if (response.status >= 300) throw new Error(`setup step POST ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body as { events: Array<{ eventId: string }> };
  }

  recordBody(seizureId: string): object {
    return recordSeizureCommand({ seizureId, memoNumber: `FS3/VNS/2024/F${++this.memo}` }).data;
  }

  /** A new seizure (Rs 12.5 lakh cash and liquor, held by the flying squad); returns its id and first event. */
  async recordSeizure(): Promise<{ seizureId: string; recordEventId: string }> {
    const seizureId = randomUUID();
    const outcome = await this.post('/seizures', actors.flyingSquad, this.recordBody(seizureId));
    return { seizureId, recordEventId: outcome.events[0].eventId };
  }

  async initiateCashTransferToTreasury(seizureId: string): Promise<string> {
    const transferId = randomUUID();
    await this.post(`/seizures/${seizureId}/transfers`, actors.flyingSquad, transferBody(transferId));
    return transferId;
  }

  async cashHeldByTreasury(): Promise<string> {
    const { seizureId } = await this.recordSeizure();
    const transferId = await this.initiateCashTransferToTreasury(seizureId);
    await this.post(`/seizures/${seizureId}/transfers/${transferId}/accept`, actors.treasuryOfficer, acceptBody());
    return seizureId;
  }

  async cashDeposited(): Promise<{ seizureId: string; challanNumber: string }> {
    const seizureId = await this.cashHeldByTreasury();
    const challanNumber = `CH-${randomUUID().slice(0, 8)}`;
    await this.post(`/seizures/${seizureId}/deposits`, actors.treasuryOfficer, depositBody(challanNumber));
    return { seizureId, challanNumber };
  }

  /** A new seizure with an FIR registered: its FIR and court cases are open. */
  async firRegistered(): Promise<string> {
    const { seizureId } = await this.recordSeizure();
    await this.post(`/seizures/${seizureId}/firs`, actors.police, firBody());
    return seizureId;
  }

  async releaseDisputeRaised(): Promise<{ seizureId: string; disputeId: string }> {
    const { seizureId } = await this.recordSeizure();
    const disputeId = randomUUID();
    await this.post(`/seizures/${seizureId}/release-disputes`, actors.committee, disputeBody(disputeId));
    return { seizureId, disputeId };
  }

  async liquorReleaseOrdered(): Promise<{ seizureId: string; orderNumber: string }> {
    const { seizureId } = await this.recordSeizure();
    const orderNumber = `DGC-${randomUUID().slice(0, 8)}`;
    await this.post(`/seizures/${seizureId}/release-orders`, actors.committee, releaseOrderBody(orderNumber));
    return { seizureId, orderNumber };
  }
}

const TODAY_IN_INDIA = '2024-04-20';
const OWNER = { name: 'रमेश चंद्र', idDocument: { type: 'voter-id', number: 'ABC1234567' } };

const transferBody = (transferId: string) => ({
  transferId,
  itemIds: [CASH],
  to: custodians.treasury,
  sealNumbers: ['S-1001'],
  reason: 'नकदी कोषागार में जमा हेतु — for deposit',
});
const acceptBody = () => ({
  seals: [{ number: 'S-1001', condition: 'intact' }],
  countedQuantities: [{ itemId: CASH, quantity: 125_000_000 }],
  remarks: 'Counted in the strong room; seal intact.',
});
const depositBody = (challanNumber: string) => ({
  challanNumber,
  treasury: { id: custodians.treasury.id, name: custodians.treasury.name },
  itemIds: [CASH],
  amountPaise: 125_000_000,
  depositedOn: TODAY_IN_INDIA,
});
const releaseOrderBody = (orderNumber: string) => ({
  orderNumber,
  orderedOn: TODAY_IN_INDIA,
  itemIds: [LIQUOR],
  releaseTo: OWNER,
  reasons: 'No link with any candidate was found on inquiry; licit stock of a licensed vendor.',
});

const firBody = () => ({
  firNumber: '117/2024',
  policeStation: 'थाना कैंट, वाराणसी',
  registeredOn: TODAY_IN_INDIA,
  sections: ['BNS 173', 'RP Act 123'],
});
const disputeBody = (disputeId: string) => ({
  disputeId,
  raisedOn: TODAY_IN_INDIA,
  itemIds: [CASH],
  grounds: 'भाई का दावा: the cash is the family shop’s takings',
});

const json = (seizureId: string, path: string, actor: Actor, body: object): PreparedRequest => ({
  kind: 'json',
  seizureId,
  path,
  actor,
  body,
});

export const COMMAND_ENDPOINTS: readonly CommandEndpoint[] = [
  {
    name: 'record',
    optionalFields: ['magistrate', 'vehicleNumber', 'seizedFrom.idDocument', 'seizedFrom.phone'],
    prepare: async (api) => {
      const seizureId = randomUUID();
      return json(seizureId, '/seizures', actors.flyingSquad, api.recordBody(seizureId));
    },
  },
  {
    name: 'value',
    optionalFields: [],
    prepare: async (api) => {
      const { seizureId } = await api.recordSeizure();
      // The flying squad still holds the liquor: its own officer revalues it.
      return json(seizureId, `/seizures/${seizureId}/valuations`, actors.flyingSquad, {
        valuations: [{ itemId: LIQUOR, valuePaise: 5_200_000 }],
        basis: 'Excise rate list 2024–25',
        reason: 'MRP verified with the excise inspector',
      });
    },
  },
  {
    name: 'transfer-initiate',
    optionalFields: [],
    prepare: async (api) => {
      const { seizureId } = await api.recordSeizure();
      return json(seizureId, `/seizures/${seizureId}/transfers`, actors.flyingSquad, transferBody(randomUUID()));
    },
  },
  {
    name: 'transfer-accept',
    optionalFields: [],
    prepare: async (api) => {
      const { seizureId } = await api.recordSeizure();
      const transferId = await api.initiateCashTransferToTreasury(seizureId);
      return json(seizureId, `/seizures/${seizureId}/transfers/${transferId}/accept`, actors.treasuryOfficer, acceptBody());
    },
  },
  {
    name: 'transfer-reject',
    optionalFields: [],
    prepare: async (api) => {
      const { seizureId } = await api.recordSeizure();
      const transferId = await api.initiateCashTransferToTreasury(seizureId);
      return json(seizureId, `/seizures/${seizureId}/transfers/${transferId}/reject`, actors.treasuryOfficer, {
        reason: 'Seal S-1001 शंकास्पद; not taken over',
      });
    },
  },
  {
    name: 'deposit',
    optionalFields: [],
    prepare: async (api) => {
      const seizureId = await api.cashHeldByTreasury();
      return json(seizureId, `/seizures/${seizureId}/deposits`, actors.treasuryOfficer, depositBody(`CH-${randomUUID().slice(0, 8)}`));
    },
  },
  {
    name: 'deposit-confirm',
    optionalFields: [],
    prepare: async (api) => {
      const { seizureId, challanNumber } = await api.cashDeposited();
      return json(seizureId, `/seizures/${seizureId}/deposits/${challanNumber}/confirm`, actors.treasuryAccountant, {
        confirmedAmountPaise: 125_000_000,
        remarks: 'Credited to head 8443; scroll checked.',
      });
    },
  },
  {
    name: 'income-tax-referral',
    optionalFields: [],
    prepare: async (api) => {
      const { seizureId } = await api.recordSeizure();
      return json(seizureId, `/seizures/${seizureId}/income-tax-referrals`, actors.committee, {
        referenceNumber: `IT/VNS/2024/${randomUUID().slice(0, 4)}`,
        office: 'आयकर नोडल अधिकारी, वाराणसी',
        remarks: 'Cash above Rs 10 lakh',
      });
    },
  },
  {
    name: 'income-tax-clearance',
    optionalFields: [],
    prepare: async (api) => {
      const { seizureId } = await api.recordSeizure();
      await api.post(`/seizures/${seizureId}/income-tax-referrals`, actors.committee, {
        referenceNumber: 'IT/VNS/2024/7',
        office: 'IT nodal officer',
        remarks: '',
      });
      return json(seizureId, `/seizures/${seizureId}/income-tax-clearances`, actors.incomeTax, {
        clearanceNumber: 'ITCL/2024/19',
        remarks: 'Source explained',
      });
    },
  },
  {
    name: 'fir',
    optionalFields: [],
    prepare: async (api) => {
      const { seizureId } = await api.recordSeizure();
      return json(seizureId, `/seizures/${seizureId}/firs`, actors.police, firBody());
    },
  },
  {
    name: 'fir-closure',
    optionalFields: [],
    prepare: async (api) => {
      const seizureId = await api.firRegistered();
      return json(seizureId, `/seizures/${seizureId}/fir-closures`, actors.police, {
        how: 'closure_report_accepted',
        closedOn: TODAY_IN_INDIA,
        court: 'मुख्य न्यायिक मजिस्ट्रेट, वाराणसी',
        reference: 'CJM/VNS/2024/901',
        remarks: 'Final report accepted',
      });
    },
  },
  {
    name: 'court-proceedings-disposal',
    optionalFields: [],
    prepare: async (api) => {
      const seizureId = await api.firRegistered();
      return json(seizureId, `/seizures/${seizureId}/court-proceedings-disposals`, actors.court, {
        disposedOn: TODAY_IN_INDIA,
        court: 'CJM Varanasi',
        caseNumber: 'CC 412/2024',
        remarks: 'Property ordered returned',
      });
    },
  },
  {
    name: 'income-tax-proceedings-closure',
    optionalFields: [],
    prepare: async (api) => {
      const { seizureId } = await api.recordSeizure();
      await api.post(`/seizures/${seizureId}/income-tax-referrals`, actors.committee, {
        referenceNumber: 'IT/VNS/2024/7',
        office: 'IT nodal officer',
        remarks: '',
      });
      return json(seizureId, `/seizures/${seizureId}/income-tax-proceedings-closures`, actors.incomeTax, {
        closedOn: TODAY_IN_INDIA,
        orderNumber: 'ITO/W2/2024/77',
        remarks: 'Assessment completed',
      });
    },
  },
  {
    name: 'release-dispute',
    optionalFields: [],
    prepare: async (api) => {
      const { seizureId } = await api.recordSeizure();
      return json(seizureId, `/seizures/${seizureId}/release-disputes`, actors.committee, disputeBody(randomUUID()));
    },
  },
  {
    name: 'release-dispute-resolution',
    optionalFields: [],
    prepare: async (api) => {
      const { seizureId, disputeId } = await api.releaseDisputeRaised();
      return json(seizureId, `/seizures/${seizureId}/release-disputes/${disputeId}/resolution`, actors.committee, {
        resolvedOn: TODAY_IN_INDIA,
        outcome: 'dismissed',
        reference: 'DGC/VNS/2024/40',
        remarks: 'दावा सिद्ध नहीं',
      });
    },
  },
  {
    name: 'release-order',
    optionalFields: ['releaseTo.idDocument'],
    prepare: async (api) => {
      const { seizureId } = await api.recordSeizure();
      return json(
        seizureId,
        `/seizures/${seizureId}/release-orders`,
        actors.committee,
        releaseOrderBody(`DGC-${randomUUID().slice(0, 8)}`),
      );
    },
  },
  {
    name: 'release',
    optionalFields: [],
    prepare: async (api) => {
      const { seizureId, orderNumber } = await api.liquorReleaseOrdered();
      return json(seizureId, `/seizures/${seizureId}/releases`, actors.flyingSquad, {
        orderNumber,
        itemIds: [LIQUOR],
        releasedTo: OWNER,
        identityChecked: true,
        remarks: 'Handed over against receipt',
      });
    },
  },
  {
    name: 'disposal',
    optionalFields: [],
    prepare: async (api) => {
      const { seizureId } = await api.recordSeizure();
      return json(seizureId, `/seizures/${seizureId}/disposals`, actors.court, {
        orderNumber: `CJM-${randomUUID().slice(0, 8)}`,
        orderedOn: TODAY_IN_INDIA,
        method: 'destroyed',
        itemIds: [LIQUOR],
        remarks: 'Destroyed under videography',
      });
    },
  },
  {
    name: 'correction',
    optionalFields: [],
    prepare: async (api) => {
      const { seizureId, recordEventId } = await api.recordSeizure();
      return json(seizureId, `/seizures/${seizureId}/corrections`, actors.flyingSquad, {
        correctsEventId: recordEventId,
        whatWasWrong: 'Witness address was written as Cantt',
        correction: 'Witness address is Sigra, वाराणसी',
        reason: 'Clerical error noticed on reading the memo back',
      });
    },
  },
  {
    name: 'personal-data-erasure',
    optionalFields: ['courtOrder'],
    prepare: async (api) => {
      const { seizureId } = await api.recordSeizure();
      // The items are still held: only a court order lets the data go now.
      return json(seizureId, `/seizures/${seizureId}/personal-data-erasures`, actors.admin, {
        subjects: ['witness-1', 'free-text'],
        legalBasis: 'court_order',
        orderReference: 'DEO/VNS/DPDP/2024/7',
        courtOrder: { court: 'CJM Varanasi', orderNumber: 'Misc 12/2024', orderedOn: TODAY_IN_INDIA },
      });
    },
  },
  {
    name: 'attachment',
    optionalFields: ['description'],
    prepare: async (api) => {
      const { seizureId } = await api.recordSeizure();
      return {
        kind: 'attachment',
        seizureId,
        path: `/seizures/${seizureId}/attachments`,
        actor: actors.flyingSquad,
        mediaType: 'image/png',
        bytes: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(randomUUID())]),
        query: [
          ['fileName', 'सील S-1001.png'],
          ['description', 'Seal before transfer'],
        ],
      };
    },
  },
];
