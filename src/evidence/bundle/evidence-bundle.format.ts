/**
 * The evidence bundle's format: its constants and types, with no code. The verifier (which runs
 * in Node and in the browser) reads bundles through these types without importing the builder.
 */
import type { RecordedEvent } from '../../ledger/event-store';
import type { OlderRulesMark } from '../../custody/upcasters';
import type { JsonObject, JsonValue } from '../../shared/json';
import type { SignedTreeHead } from '../tree-heads/tree-head';

/** The format bundles are issued in: format 1 plus the head's checkpoint with the witnesses' cosignatures. */
export const EVIDENCE_BUNDLE_FORMAT = 'seizure-ledger-evidence/2' as const;
/** Bundles issued before witnesses: still read and verified, never issued again. */
export const EVIDENCE_BUNDLE_FORMAT_V1 = 'seizure-ledger-evidence/1' as const;
export const READABLE_BUNDLE_FORMATS = [EVIDENCE_BUNDLE_FORMAT_V1, EVIDENCE_BUNDLE_FORMAT] as const;
export type EvidenceBundleFormat = (typeof READABLE_BUNDLE_FORMATS)[number];
export const BUNDLE_HASH_ALGORITHM = 'SHA-256' as const;
/** Dotted paths removed before hashing the bundle; nothing else is. */
export const BUNDLE_HASH_EXCLUDED_FIELDS = ['bundleHash', 'certificate.partA.hashValue'] as const;
export const SYSTEM_NAME = 'Seizure Custody Ledger' as const;
export const GENESIS_PREV_HASH = '0'.repeat(64);

export interface ServerIdentity {
  system: typeof SYSTEM_NAME;
  version: string;
  host: string;
  storeKind: string;
}

/** Where an event sits in the Merkle log and the RFC 9162 path from its leaf to the head's root. */
export interface EventInclusion {
  /** 0-based index of the leaf in the global log (the leaf is the event's 32-byte chain hash). */
  leafIndex: number;
  /** The tree size the proof was made for; must equal the head's. */
  treeSize: number;
  /** Hex hashes of the audit path, leaf to root. */
  proof: string[];
}

/**
 * A sealed personal-data field of an event, opened for the bundle: the value with its salt, so
 * anyone can check it against the commitment in the hashed `data` (SHA-256 of salt ‖ canonical JSON
 * of the value); or, when the data subject was erased, the instant of erasure and no value, with the
 * PersonalDataErased event and the order it was made under when the erasure was recorded in the log.
 */
export type RevealedField =
  | { fieldPath: string; value: JsonValue; salt: string }
  /** Erased: when, and, for an erasure recorded in the log, its PersonalDataErased event (in the bundle) and order. */
  | { fieldPath: string; erased: true; erasedAt: string; erasureEventId?: string; orderReference?: string };

export interface BundledEvent extends RecordedEvent {
  inclusion: EventInclusion;
  /**
   * Present only on sealed events, for readers of personal data: each sealed field (a JSON Pointer
   * into `data`) opened, salt in base64. Beside the event, not in it: the chain hash covers the
   * commitments, the bundle hash this too. Format 2 carries it as an optional field.
   */
  revealed?: RevealedField[];
  /**
   * Present only on events stored under older rules: what reading them in today's shape changed.
   * Beside the stored event, not in it: the chain hash covers `data` as stored, the bundle hash this too.
   */
  recordedUnderOlderRules?: OlderRulesMark;
}

/** A statement in Part A the signatory affirms by signing; `affirmed` is left blank. */
export interface AffirmedStatement {
  statement: string;
  affirmed: '';
}

export interface Section63Certificate {
  title: string;
  partA: {
    filledBy: string;
    electronicRecord: string;
    /** The computer system / server the record was produced by, with its identifiers. */
    producedBy: ServerIdentity & { logId: string };
    hashAlgorithm: typeof BUNDLE_HASH_ALGORITHM;
    /** Equal to `bundleHash`; excluded from the hashed content. */
    hashValue: string;
    hashCovers: string;
    /** Date and time in IST, e.g. '2024-04-20 11:30:00 IST'. */
    dateTime: string;
    place: string;
    statements: {
      producedInOrdinaryUse: AffirmedStatement;
      underLawfulControl: AffirmedStatement;
      workingProperly: AffirmedStatement;
    };
    signatory: { name: ''; designation: ''; signature: ''; date: ''; place: '' };
  };
  partB: {
    filledBy: string;
    expertName: '';
    designation: '';
    organisation: '';
    hashAlgorithm: '';
    hashValue: '';
    opinion: '';
    signature: '';
    date: '';
    place: '';
  };
}

/** Format 2: the tree head again as a C2SP checkpoint, signed by the log and cosigned by witnesses. */
export interface BundleCheckpoint {
  /** The checkpoint's origin: its first line, and the name of the log's note key. */
  origin: string;
  /**
   * A C2SP signed note (https://c2sp.org/signed-note): the checkpoint text (origin, the head's tree
   * size, its root hash in base64), a blank line, the log's signature line, then one
   * cosignature/v1 line per witness that cosigned this checkpoint (none without witnesses).
   */
  note: string;
}

export interface EvidenceBundle {
  format: EvidenceBundleFormat;
  seizureId: string;
  streamName: string;
  /** ISO-8601 UTC, from the caller's clock. */
  generatedAt: string;
  server: ServerIdentity;
  hashAlgorithm: typeof BUNDLE_HASH_ALGORITHM;
  /** The seizure stream's events in revision order, each with its inclusion proof. */
  events: BundledEvent[];
  treeHead: SignedTreeHead;
  /** Format 2 only (required there): the head's checkpoint and its cosignatures; covered by the bundle hash. */
  checkpoint?: BundleCheckpoint;
  /** Base64 of the log's raw 32-byte Ed25519 public key. */
  publicKey: string;
  /** Opaque JSON supplied by the caller (e.g. the custody read model); covered by the bundle hash. */
  custodyHistory: JsonObject;
  certificate: Section63Certificate;
  bundleHash: string;
}

export interface EvidenceBundleInput {
  seizureId: string;
  /** The stream `seizure-<seizureId>` as read from the store (any order; sorted by revision). */
  events: readonly RecordedEvent[];
  /** The opened sealed fields of each sealed event, by event id (none for events in clear, or for readers without personal-data access). */
  revealed?: ReadonlyMap<string, RevealedField[]>;
  /** One entry per event, matched by event id; proof hashes as bytes or hex. */
  inclusion: ReadonlyArray<{ eventId: string; leafIndex: number; proof: ReadonlyArray<Uint8Array | string> }>;
  treeHead: SignedTreeHead;
  /** The head's checkpoint note with the cosignatures held. */
  checkpoint: BundleCheckpoint;
  /** Base64 raw Ed25519 public key of the log. */
  publicKey: string;
  custodyHistory: JsonObject;
  /** ISO-8601 instant from a clock. */
  generatedAt: string;
  server: ServerIdentity;
  place: string;
}
