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
import { olderRulesMarkOf } from '../../custody/upcasters';
import { toBase64 } from '../checkpoint/note-bytes';
import { bytesToHex, hexToBytes } from '../merkle/rfc9162';
import { signedTreeHeadFields } from '../tree-heads/tree-head';
import { computeBundleHash } from '../verify/bundle.verify';
import {
  BUNDLE_HASH_ALGORITHM,
  BUNDLE_HASH_EXCLUDED_FIELDS,
  EVIDENCE_BUNDLE_FORMAT,
  type BundledEvent,
  type EvidenceBundle,
  type EvidenceBundleInput,
  type Section63Certificate,
} from './evidence-bundle.format';

export * from './evidence-bundle.format';

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
      throw new EvidenceBundleError(`event ${e.id} is leaf ${p.leafIndex}, not covered by the head of size ${input.treeHead.treeSize}`);
    }
    const olderRules = olderRulesMarkOf(e);
    const revealed = input.revealed?.get(e.id) ?? [];
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
      ...(revealed.length === 0 ? {} : { revealed: revealed.map((r) => ({ ...r })) }),
    };
  });

  const head = input.treeHead;
  checkCheckpoint(input);
  const unhashed: EvidenceBundle = {
    format: EVIDENCE_BUNDLE_FORMAT,
    seizureId: input.seizureId,
    streamName,
    generatedAt: input.generatedAt,
    server: { ...input.server },
    hashAlgorithm: BUNDLE_HASH_ALGORITHM,
    events: bundled,
    // keyId (and nextKey) only when the head has them: a head from before key rotation stays as it was.
    treeHead: signedTreeHeadFields(head),
    checkpoint: { origin: input.checkpoint.origin, note: input.checkpoint.note },
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

/** The checkpoint must be of the head: same size, same root (as the verifier checks). */
function checkCheckpoint(input: EvidenceBundleInput): void {
  const [origin, size, root] = input.checkpoint.note.split('\n');
  const head = input.treeHead;
  if (origin !== input.checkpoint.origin || Number(size) !== head.treeSize || root !== toBase64(hexToBytes(head.rootHash))) {
    throw new EvidenceBundleError(`the checkpoint (${origin}, size ${size}) is not of the head of size ${head.treeSize}`);
  }
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
        `${input.treeHead.treeSize} (root ${input.treeHead.rootHash}), that head's checkpoint with the witnesses' cosignatures, ` +
        'and the custody history.',
      producedBy: { ...input.server, logId: input.treeHead.logId },
      hashAlgorithm: BUNDLE_HASH_ALGORITHM,
      hashValue: '',
      hashCovers:
        'SHA-256 of the UTF-8 RFC 8785 canonical JSON of this bundle without the fields ' + `${BUNDLE_HASH_EXCLUDED_FIELDS.join(' and ')}.`,
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
