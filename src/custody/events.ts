import type {
  ActorRef,
  Custodian,
  DiscrepancyKind,
  DisposalAuthority,
  DisposalMethod,
  CourtOrderRef,
  DisputeOutcome,
  Election,
  ErasureBasis,
  FirClosureWay,
  MediaHash,
  PersonalDataFieldRef,
  PersonSeizedFrom,
  ReleaseAuthority,
  SealCheck,
  SeizedItem,
  SeizureLocation,
  Witness,
} from './values';

/** The seizure's events: past-tense string literals. The actor and time live in the envelope's metadata. */

export type SeizureRecorded = {
  type: 'SeizureRecorded';
  data: {
    seizureId: string;
    memoNumber: string;
    seizedAt: string;
    location: SeizureLocation;
    agency: string;
    team: string;
    seizingOfficer: ActorRef;
    magistrate: { name: string; designation: string } | null;
    seizedFrom: PersonSeizedFrom;
    vehicleNumber: string | null;
    witnesses: Witness[];
    media: MediaHash[];
    election: Election;
    linkedToCandidateOrParty: boolean;
    items: SeizedItem[];
    /** The seizing team holds everything until the first accepted transfer. */
    custodian: Custodian;
    /** The version of the places reference data the location was checked against; absent before checks began. */
    placesVersion?: string;
  };
};

export type ItemsValued = {
  type: 'ItemsValued';
  data: { valuations: Array<{ itemId: string; valuePaise: number; previousValuePaise: number }>; basis: string; reason: string };
};

export type CustodyTransferInitiated = {
  type: 'CustodyTransferInitiated';
  data: { transferId: string; itemIds: string[]; from: Custodian; to: Custodian; sealNumbers: string[]; reason: string };
};

/**
 * Schema version 2. Version 1 said only `sealsIntact: boolean` and `sealNumbersFound: string[]`,
 * which cannot tell which of three seals was broken; see upcasters.ts.
 */
export type CustodyTransferAccepted = {
  type: 'CustodyTransferAccepted';
  data: {
    transferId: string;
    itemIds: string[];
    from: Custodian;
    to: Custodian;
    seals: SealCheck[];
    countedQuantities: Array<{ itemId: string; quantity: number }>;
    remarks: string;
  };
};

export type CustodyTransferRejected = {
  type: 'CustodyTransferRejected';
  data: { transferId: string; itemIds: string[]; from: Custodian; to: Custodian; reason: string };
};

export type DiscrepancyRecorded = {
  type: 'DiscrepancyRecorded';
  data: {
    kind: DiscrepancyKind;
    itemIds: string[];
    /** What the discrepancy was found in: a transfer id or a challan number. */
    reference: string;
    expected: string;
    found: string;
    remarks: string;
  };
};

export type CashDeposited = {
  type: 'CashDeposited';
  data: { challanNumber: string; treasury: Custodian; itemIds: string[]; amountPaise: number; depositedOn: string };
};

export type DepositConfirmed = {
  type: 'DepositConfirmed';
  data: { challanNumber: string; treasury: Custodian; depositedAmountPaise: number; confirmedAmountPaise: number; remarks: string };
};

export type ReferredToIncomeTax = {
  type: 'ReferredToIncomeTax';
  data: { referenceNumber: string; office: string; cashTotalPaise: number; remarks: string };
};

export type IncomeTaxCleared = {
  type: 'IncomeTaxCleared';
  data: { referenceNumber: string; clearanceNumber: string; remarks: string };
};

export type FirRegistered = {
  type: 'FirRegistered';
  data: { firNumber: string; policeStation: string; registeredOn: string; sections: string[] };
};

export type ReleaseOrdered = {
  type: 'ReleaseOrdered';
  data: {
    orderNumber: string;
    authority: ReleaseAuthority;
    orderedOn: string;
    itemIds: string[];
    releaseTo: { name: string; idDocument: { type: string; number: string } | null };
    reasons: string;
  };
};

export type ItemsReleased = {
  type: 'ItemsReleased';
  data: {
    orderNumber: string;
    itemIds: string[];
    releasedTo: { name: string; idDocument: { type: string; number: string } };
    identityChecked: true;
    releasedBy: Custodian;
    remarks: string;
  };
};

export type ItemsDisposed = {
  type: 'ItemsDisposed';
  data: {
    orderNumber: string;
    authority: DisposalAuthority;
    orderedOn: string;
    method: DisposalMethod;
    itemIds: string[];
    remarks: string;
  };
};

/**
 * The proceedings on a seizure open and close by events; while any is open its personal data is
 * needed (DPDP Act 2023), once all are closed its retention period can run (see cases.ts).
 */

export type FirClosed = {
  type: 'FirClosed';
  data: {
    firNumber: string;
    how: FirClosureWay;
    /** The Indian day of the order that ended it. */
    closedOn: string;
    court: string;
    /** The order or judgment that ended it. */
    reference: string;
    remarks: string;
  };
};

export type CourtProceedingsDisposedOf = {
  type: 'CourtProceedingsDisposedOf';
  data: { disposedOn: string; court: string; caseNumber: string; remarks: string };
};

export type IncomeTaxProceedingsClosed = {
  type: 'IncomeTaxProceedingsClosed';
  data: { referenceNumber: string; closedOn: string; orderNumber: string; remarks: string };
};

export type ReleaseDisputeRaised = {
  type: 'ReleaseDisputeRaised';
  data: { disputeId: string; raisedOn: string; itemIds: string[]; grounds: string };
};

export type ReleaseDisputeResolved = {
  type: 'ReleaseDisputeResolved';
  data: { disputeId: string; resolvedOn: string; outcome: DisputeOutcome; reference: string; remarks: string };
};

export type AttachmentAdded = {
  type: 'AttachmentAdded';
  data: { sha256: string; sizeBytes: number; mediaType: string; fileName: string; description: string } & PersonalContent;
};

/**
 * A personal attachment (an ID scan, a photo of a person) names whose data it is (a data subject,
 * a closed vocabulary) and the key its content is encrypted with; `sha256` stays the plaintext's.
 * Both absent for content kept in clear.
 */
export type PersonalContent = { personalDataOf?: never; contentKeyId?: never } | { personalDataOf: string; contentKeyId: string };

export type CorrectionRecorded = {
  type: 'CorrectionRecorded';
  data: { correctsEventId: string; correctsEventType: string; whatWasWrong: string; correction: string; reason: string };
};

/**
 * Personal data erased by crypto-shredding: the keys of the listed data subjects are destroyed
 * after this event is appended, so their sealed fields (listed, by event and JSON Pointer) can no
 * longer be opened anywhere, while every hash, proof and signed head stays valid. Holds no
 * personal data itself: subjects are a closed vocabulary (seized-from, witness-<n>, ...).
 */
export type PersonalDataErased = {
  type: 'PersonalDataErased';
  data: {
    /** Per subject: its sealed fields, and the SHA-256 of its personal attachments (their content is encrypted under the same key). */
    erasures: Array<{ subject: string; fields: PersonalDataFieldRef[]; attachments: string[] }>;
    /** Fields of these subjects in events written before sealing: in clear inside hashed data, they cannot be shredded. */
    keptInClear: Array<PersonalDataFieldRef & { subject: string }>;
    legalBasis: ErasureBasis;
    /** The order or request the erasure was made under, e.g. the DEO's order number. */
    orderReference: string;
    courtOrder: CourtOrderRef | null;
    /** What still needed the data when a court order overrode it: the open cases, the items still held. */
    overrode: { openCases: Array<{ kind: string; reference: string | null }>; heldItemIds: string[] } | null;
  };
};

export type SeizureEvent =
  | SeizureRecorded
  | ItemsValued
  | CustodyTransferInitiated
  | CustodyTransferAccepted
  | CustodyTransferRejected
  | DiscrepancyRecorded
  | CashDeposited
  | DepositConfirmed
  | ReferredToIncomeTax
  | IncomeTaxCleared
  | FirRegistered
  | ReleaseOrdered
  | ItemsReleased
  | ItemsDisposed
  | AttachmentAdded
  | CorrectionRecorded
  | FirClosed
  | CourtProceedingsDisposedOf
  | IncomeTaxProceedingsClosed
  | ReleaseDisputeRaised
  | ReleaseDisputeResolved
  | PersonalDataErased;

export type SeizureEventType = SeizureEvent['type'];

export const SEIZURE_EVENT_TYPES: readonly SeizureEventType[] = [
  'SeizureRecorded',
  'ItemsValued',
  'CustodyTransferInitiated',
  'CustodyTransferAccepted',
  'CustodyTransferRejected',
  'DiscrepancyRecorded',
  'CashDeposited',
  'DepositConfirmed',
  'ReferredToIncomeTax',
  'IncomeTaxCleared',
  'FirRegistered',
  'ReleaseOrdered',
  'ItemsReleased',
  'ItemsDisposed',
  'AttachmentAdded',
  'CorrectionRecorded',
  'FirClosed',
  'CourtProceedingsDisposedOf',
  'IncomeTaxProceedingsClosed',
  'ReleaseDisputeRaised',
  'ReleaseDisputeResolved',
  'PersonalDataErased',
];

/**
 * An event as evolve sees it: the stored id lets corrections point at what they correct; the
 * instant it was decided (metadata `occurredAt`, which the hash covers) dates when a case opened or closed.
 */
export type SeizureEventEnvelope = SeizureEvent & {
  eventId: string;
  actorSub: string;
  occurredAt: string;
  /** Its personal-data fields were sealed when it was written (metadata `sealing`); absent or false for events in clear. */
  sealed?: boolean;
};

export const seizureStreamName = (seizureId: string): string => `seizure-${seizureId}`;
