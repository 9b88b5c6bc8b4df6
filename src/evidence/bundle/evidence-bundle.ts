/**
 * The evidence bundle: everything a court (or anyone) needs to check a seizure's custody record
 * without trusting our servers, plus Part A of the Section 63 certificate (Bharatiya Sakshya
 * Adhiniyam 2023) pre-filled from what the ledger knows.
 *
 * PURE: no clock, no store, no node:crypto. The caller reads the events, the proofs and the head
 * and passes them in; `buildEvidenceBundle` only shapes, checks and hashes them.
 *
 * ## The bundle's own hash
 * `bundleHash` = lowercase hex SHA-256 of the UTF-8 bytes of the RFC 8785 canonical JSON of the
 * bundle with exactly these fields removed (see BUNDLE_HASH_EXCLUDED_FIELDS):
 *   - `bundleHash`                    (the top-level field itself)
 *   - `certificate.partA.hashValue`   (the certificate's hash line, which repeats it)
 * Every other field, including the blank signatory lines and Part B, is covered: the blanks are
 * meant to be filled on the printed certificate, not in the JSON.
 */
import { formatIndianDateTime } from '../../shared/indian-day';
import type { JsonObject } from '../../shared/json';
import type { RecordedEvent } from '../../ledger/event-store';
import { olderRulesMarkOf, type OlderRulesMark } from '../../custody/upcasters';
import type { SignedTreeHead } from '../tree-heads/tree-head';
import { bytesToHex } from '../merkle/rfc9162';
import { computeBundleHash } from '../verify/bundle.verify';

export const EVIDENCE_BUNDLE_FORMAT = 'seizure-ledger-evidence/1' as const;
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

export interface BundledEvent extends RecordedEvent {
  inclusion: EventInclusion;
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

export interface EvidenceBundle {
  format: typeof EVIDENCE_BUNDLE_FORMAT;
  seizureId: string;
  streamName: string;
  /** ISO-8601 UTC, from the caller's clock. */
  generatedAt: string;
  server: ServerIdentity;
  hashAlgorithm: typeof BUNDLE_HASH_ALGORITHM;
  /** The seizure stream's events in revision order, each with its inclusion proof. */
  events: BundledEvent[];
  treeHead: SignedTreeHead;
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
  /** One entry per event, matched by event id; proof hashes as bytes or hex. */
  inclusion: ReadonlyArray<{ eventId: string; leafIndex: number; proof: ReadonlyArray<Uint8Array | string> }>;
  treeHead: SignedTreeHead;
  /** Base64 raw Ed25519 public key of the log. */
  publicKey: string;
  custodyHistory: JsonObject;
  /** ISO-8601 instant from a clock. */
  generatedAt: string;
  server: ServerIdentity;
  place: string;
}

export class EvidenceBundleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvidenceBundleError';
  }
}

/** '2024-04-20 11:30:00 IST' for an ISO instant, as the certificate writes it; a bundle error for anything else. */
export function formatIst(iso: string): string {
  try {
    return formatIndianDateTime(iso);
  } catch {
    throw new EvidenceBundleError(`not an ISO date and time: "${iso}"`);
  }
}

export function seizureStreamName(seizureId: string): string {
  return `seizure-${seizureId}`;
}

export function buildEvidenceBundle(input: EvidenceBundleInput): EvidenceBundle {
  const streamName = seizureStreamName(input.seizureId);
  if (input.events.length === 0) throw new EvidenceBundleError(`seizure ${input.seizureId} has no events`);
  const events = [...input.events].sort((a, b) => a.revision - b.revision);
  const proofs = new Map(input.inclusion.map((p) => [p.eventId.toLowerCase(), p]));
  const bundled: BundledEvent[] = events.map((e) => {
    if (e.streamName !== streamName) {
      throw new EvidenceBundleError(`event ${e.id} belongs to stream ${e.streamName}, not ${streamName}`);
    }
    const p = proofs.get(e.id.toLowerCase());
    if (p === undefined) throw new EvidenceBundleError(`no inclusion proof for event ${e.id} (revision ${e.revision})`);
    if (p.leafIndex >= input.treeHead.treeSize) {
      throw new EvidenceBundleError(
        `event ${e.id} is leaf ${p.leafIndex}, not covered by the head of size ${input.treeHead.treeSize}`,
      );
    }
    const olderRules = olderRulesMarkOf(e);
    return {
      streamName: e.streamName,
      revision: e.revision,
      globalPosition: e.globalPosition,
      id: e.id,
      type: e.type,
      data: e.data,
      metadata: e.metadata,
      recordedAt: e.recordedAt,
      prevHash: e.prevHash,
      hash: e.hash,
      inclusion: {
        leafIndex: p.leafIndex,
        treeSize: input.treeHead.treeSize,
        proof: p.proof.map((h) => (typeof h === 'string' ? h.toLowerCase() : bytesToHex(h))),
      },
      // Left out, not null, for today's events: their bundles stay as they were.
      ...(olderRules === null ? {} : { recordedUnderOlderRules: olderRules }),
    };
  });

  const head = input.treeHead;
  const unhashed: EvidenceBundle = {
    format: EVIDENCE_BUNDLE_FORMAT,
    seizureId: input.seizureId,
    streamName,
    generatedAt: input.generatedAt,
    server: { ...input.server },
    hashAlgorithm: BUNDLE_HASH_ALGORITHM,
    events: bundled,
    treeHead: {
      logId: head.logId,
      treeSize: head.treeSize,
      rootHash: head.rootHash,
      timestamp: head.timestamp,
      signature: head.signature,
    },
    publicKey: input.publicKey,
    custodyHistory: input.custodyHistory,
    certificate: certificate(input, streamName, bundled.length),
    bundleHash: '',
  };
  const hash = computeBundleHash(unhashed);
  unhashed.bundleHash = hash;
  unhashed.certificate.partA.hashValue = hash;
  return unhashed;
}

function certificate(input: EvidenceBundleInput, streamName: string, eventCount: number): Section63Certificate {
  const system = `${input.server.system} ${input.server.version} on ${input.server.host} (${input.server.storeKind} store)`;
  return {
    title: 'Certificate under Section 63(4)(c) of the Bharatiya Sakshya Adhiniyam, 2023',
    partA: {
      filledBy: 'The party producing the electronic record',
      electronicRecord:
        `Evidence bundle (${EVIDENCE_BUNDLE_FORMAT}) for seizure ${input.seizureId}: the ${eventCount} events of ` +
        `stream ${streamName} with their hash chain, their inclusion proofs against the signed tree head of size ` +
        `${input.treeHead.treeSize} (root ${input.treeHead.rootHash}), and the custody history.`,
      producedBy: { ...input.server, logId: input.treeHead.logId },
      hashAlgorithm: BUNDLE_HASH_ALGORITHM,
      hashValue: '',
      hashCovers:
        'SHA-256 of the UTF-8 RFC 8785 canonical JSON of this bundle without the fields ' +
        `${BUNDLE_HASH_EXCLUDED_FIELDS.join(' and ')}.`,
      dateTime: formatIst(input.generatedAt),
      place: input.place,
      statements: {
        producedInOrdinaryUse: {
          statement: `The electronic record was produced by the computer system ${system} in the course of its ordinary use.`,
          affirmed: '',
        },
        underLawfulControl: {
          statement: 'Throughout the material period the computer system was under the lawful control of the signatory’s office.',
          affirmed: '',
        },
        workingProperly: {
          statement:
            'Throughout the material period the computer system was operating properly, or, if not, the fault did not affect the electronic record or its accuracy.',
          affirmed: '',
        },
      },
      signatory: { name: '', designation: '', signature: '', date: '', place: '' },
    },
    partB: {
      filledBy: 'An expert',
      expertName: '',
      designation: '',
      organisation: '',
      hashAlgorithm: '',
      hashValue: '',
      opinion: '',
      signature: '',
      date: '',
      place: '',
    },
  };
}
