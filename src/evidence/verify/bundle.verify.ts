/**
 * Verifies an evidence bundle (format 'seizure-ledger-evidence/1' or '/2') with nothing but the
 * bundle and, ideally, the ledger's published public key and the witnesses' keys.
 *
 * PURE and portable: depends only on @noble/hashes, rfc9162.ts, shared/canonical-json.ts, tree-head.ts
 * and tree-head.verify.ts (@noble/curves) — no node:crypto, no Buffer — so the same code runs in the CLI and a browser.
 * The head's signature (and its log id) is checked by verifyTreeHeadSignature of tree-head.verify.ts.
 *
 * What it proves: each event is the one whose hash was chained and logged; the events form an
 * unbroken chain from revision 0; each was in the log whose head is signed by the key; the bundle
 * is the one the certificate's hash names. What it cannot prove: that no event was appended to the
 * stream after the last one in the bundle (only that the ones shown are genuine and gap-free).
 */
import { sha256 } from '@noble/hashes/sha256';
import type { EvidenceBundle } from '../bundle/evidence-bundle.format';
import { bytesToHex, hexToBytes, leafHash, verifyInclusion } from '../merkle/rfc9162';
import type { SignedTreeHead } from '../tree-heads/tree-head';
import { base64ToBytes, bytesToBase64 } from './base64';
import { canonicalJson, utf8 } from '../../shared/canonical-json';
import { checkCheckpoint, checkWitnesses, type WitnessTally } from './checkpoint.verify';
import { headKeyChecks, type HeadKeyOptions } from './head-key.verify';
import { logIdOf, verifyTreeHeadSignature, type TreeHeadVerification } from './tree-head.verify';
import type { TrustedWitness } from './trust-file';
import { isSealedValue, verifyCommitment } from '../../sealing/commitment';
import { valueAt } from '../../sealing/field-path';
import type { JsonValue } from '../../shared/json';

export { logIdOf, base64ToBytes, bytesToBase64 };

export interface VerificationCheck {
  check: string;
  ok: boolean;
  detail: string;
  /** Set when the check did not fail but proves nothing by itself (a key taken from the bundle it is to vouch for). */
  unproven?: true;
}

export interface VerificationReport {
  ok: boolean;
  checks: VerificationCheck[];
  /**
   * Which key the head's signature was checked against. Only a key from outside the bundle shows
   * who signed; the bundle's own key shows no more than that the bundle agrees with itself.
   */
  keySource?: 'given' | 'embedded';
  /** Whose cosignatures counted, when witnesses or a quorum were given. */
  witnesses?: WitnessTally;
}

/** The ledger's published key, or its key set (`keySet` wins); without either, only the embedded key is used. */
export interface BundleVerifyOptions extends HeadKeyOptions {
  /** Witness keys from outside the bundle; only their cosignatures count. */
  witnesses?: readonly TrustedWitness[];
  /** How many of them must have cosigned (default: all given); with 0 and no witnesses, cosignatures are not checked. */
  witnessQuorum?: number;
}

const FORMATS = ['seizure-ledger-evidence/1', 'seizure-ledger-evidence/2'];
const GENESIS = '0'.repeat(64);
const HEX64 = /^[0-9a-f]{64}$/;

// ---------------------------------------------------------------------------------------------
// Helpers shared with consistency.verify.ts

/** Is the head well formed, of the key's log and signed by the key? Never throws. */
export function headSignature(head: SignedTreeHead, publicKey: Uint8Array): TreeHeadVerification {
  try {
    return verifyTreeHeadSignature(head, publicKey);
  } catch (error) {
    return { ok: false, reason: `the head cannot be read: ${(error as Error).message}` };
  }
}

export function short(hex: string): string {
  return typeof hex === 'string' && hex.length > 16 ? `${hex.slice(0, 16)}…` : String(hex);
}

export function reportOf(checks: VerificationCheck[]): VerificationReport {
  return { ok: checks.length > 0 && checks.every((c) => c.ok), checks };
}

// ---------------------------------------------------------------------------------------------
// The bundle hash

/** The exact text hashed: canonical JSON without `bundleHash` and `certificate.partA.hashValue`. */
export function bundleHashInput(bundle: EvidenceBundle): string {
  // Shallow copies only: the rest is canonicalised as given, so a non-JSON value is refused, not
  // silently turned into null as a JSON round trip would.
  const copy: Record<string, unknown> = { ...bundle };
  delete copy.bundleHash;
  const certificate = copy.certificate as { partA?: unknown } | undefined;
  if (certificate !== null && typeof certificate === 'object' && certificate.partA !== null && typeof certificate.partA === 'object') {
    const partA: Record<string, unknown> = { ...(certificate.partA as Record<string, unknown>) };
    delete partA.hashValue;
    copy.certificate = { ...certificate, partA };
  }
  return canonicalJson(copy);
}

export function computeBundleHash(bundle: EvidenceBundle): string {
  return bytesToHex(sha256(utf8(bundleHashInput(bundle))));
}

/** The event's chain hash, as hash-chain.ts computes it, with the local canonical JSON. */
export function eventChainHash(e: {
  streamName: string;
  revision: number;
  id: string;
  type: string;
  data: unknown;
  metadata: unknown;
  prevHash: string;
}): string {
  const text = canonicalJson({
    streamName: e.streamName,
    revision: e.revision,
    eventId: e.id,
    type: e.type,
    data: e.data,
    metadata: e.metadata,
    prevHash: e.prevHash,
  });
  return bytesToHex(sha256(utf8(text)));
}

// ---------------------------------------------------------------------------------------------

export function verifyEvidenceBundle(bundle: EvidenceBundle, options: BundleVerifyOptions = {}): VerificationReport {
  const checks: VerificationCheck[] = [];
  const add: Add = (check, ok, detail, unproven) => {
    checks.push(unproven ? { check, ok, detail, unproven } : { check, ok, detail });
  };

  if (bundle === null || typeof bundle !== 'object') {
    add('format', false, 'the bundle is not a JSON object');
    return reportOf(checks);
  }
  // A bundle comes from outside: its format is whatever the file says until checked.
  const format: unknown = bundle.format;
  if (typeof format !== 'string' || !FORMATS.includes(format)) {
    add('format', false, `unknown format ${JSON.stringify(format)}; this verifier reads ${FORMATS.join(' and ')}`);
    return reportOf(checks);
  }
  if (!Array.isArray(bundle.events) || bundle.events.length === 0 || !bundle.treeHead || typeof bundle.treeHead !== 'object') {
    add('format', false, 'the bundle has no events or no tree head');
    return reportOf(checks);
  }
  add('format', true, `${format}, seizure ${bundle.seizureId}, ${bundle.events.length} events`);

  checkEventHashes(bundle, add);
  checkChain(bundle, add);
  const logKey = checkKeyAndHead(bundle, options, add);
  const witnesses = options.witnesses ?? [];
  const quorum = options.witnessQuorum ?? witnesses.length;
  const note = format === FORMATS[1] ? checkCheckpoint(bundle, logKey, add) : null;
  let tally: WitnessTally | undefined;
  if (witnesses.length > 0 || quorum > 0) {
    if (format === FORMATS[0]) add('witness-cosignatures', false, `a ${format} bundle carries no checkpoint and no cosignatures`);
    else tally = checkWitnesses(note, witnesses, quorum, add);
  }
  checkInclusion(bundle, add);
  checkRevealed(bundle, add);
  checkBundleHash(bundle, add);
  const keySource = options.publicKey === undefined && options.keySet === undefined ? 'embedded' : 'given';
  return { ...reportOf(checks), keySource, ...(tally && { witnesses: tally }) };
}

type Add = (check: string, ok: boolean, detail: string, unproven?: true) => void;

function at(e: { revision: number; id: string }): string {
  return `revision ${e.revision} (event ${e.id})`;
}

/** (a) every event's hash recomputes from its content. */
function checkEventHashes(bundle: EvidenceBundle, add: Add): void {
  const altered: string[] = [];
  for (const e of bundle.events) {
    let recomputed: string;
    try {
      recomputed = eventChainHash(e);
    } catch (error) {
      altered.push(`${at(e)}: content is not JSON (${(error as Error).message})`);
      continue;
    }
    if (recomputed !== e.hash) {
      altered.push(
        `${at(e)}: content does not match its recorded hash (recorded ${short(e.hash)}, recomputed ${short(recomputed)}) — the event's content was altered after it was recorded`,
      );
    }
  }
  add(
    'event-hashes',
    altered.length === 0,
    altered.length === 0 ? `all ${bundle.events.length} events match their hashes` : altered.join('; '),
  );
}

/**
 * Sealed personal data opened in the bundle: each value, with its salt, must give the commitment
 * found at its path in the hashed data. Only bundles that carry opened values get this check.
 */
function checkRevealed(bundle: EvidenceBundle, add: Add): void {
  const withRevealed = bundle.events.filter((e) => Array.isArray(e.revealed) && e.revealed.length > 0);
  if (withRevealed.length === 0) return;
  const problems: string[] = [];
  let values = 0;
  let erased = 0;
  for (const e of withRevealed) {
    for (const field of e.revealed ?? []) {
      const where = `${at(e)} ${JSON.stringify(field.fieldPath)}`;
      let sealed: JsonValue | undefined;
      try {
        sealed = valueAt(e.data, field.fieldPath);
      } catch {
        sealed = undefined;
      }
      if (!isSealedValue(sealed)) {
        problems.push(`${where}: the event holds no commitment there`);
      } else if ('erased' in field) {
        erased += 1;
        const unexplained = erasureNotFound(bundle, e.id, field);
        if (unexplained) problems.push(`${where}: ${unexplained}`);
      } else if (!verifyCommitment(field.value, saltBytes(field.salt), sealed.sealed)) {
        problems.push(`${where}: the value given does not match its commitment — it is not the value that was recorded`);
      } else {
        values += 1;
      }
    }
  }
  add(
    'revealed-values',
    problems.length === 0,
    problems.length === 0
      ? `${values} opened personal-data values match their commitments${erased > 0 ? `; ${erased} erased` : ''}`
      : problems.join('; '),
  );
}

/**
 * An erased field that names its erasure must be explained by that event in the same bundle: a
 * PersonalDataErased listing this event's field. Returns what is wrong, or undefined.
 */
function erasureNotFound(
  bundle: EvidenceBundle,
  eventId: string,
  field: { fieldPath: string; erasureEventId?: string },
): string | undefined {
  if (field.erasureEventId === undefined) return undefined;
  const erasure = bundle.events.find((x) => x.id === field.erasureEventId);
  if (!erasure || erasure.type !== 'PersonalDataErased') return `the erasure it names (${field.erasureEventId}) is not in the bundle`;
  const erasures = (erasure.data as { erasures?: unknown }).erasures;
  const listed =
    Array.isArray(erasures) &&
    erasures.some(
      (x: { fields?: Array<{ eventId?: unknown; fieldPath?: unknown }> }) =>
        Array.isArray(x.fields) && x.fields.some((f) => f.eventId === eventId && f.fieldPath === field.fieldPath),
    );
  return listed ? undefined : `the erasure ${field.erasureEventId} does not list this field`;
}

function saltBytes(salt: unknown): Uint8Array {
  try {
    return typeof salt === 'string' ? base64ToBytes(salt) : new Uint8Array();
  } catch {
    return new Uint8Array();
  }
}

/** (b) stream name, revision order, no gaps, and every prevHash link. */
function checkChain(bundle: EvidenceBundle, add: Add): void {
  const problems: string[] = [];
  const expectedStream = `seizure-${bundle.seizureId}`;
  if (bundle.streamName !== expectedStream) problems.push(`the bundle names stream ${bundle.streamName}, not ${expectedStream}`);
  for (const e of bundle.events) {
    if (e.streamName !== expectedStream) problems.push(`${at(e)} belongs to stream ${e.streamName}, not ${expectedStream}`);
  }

  // Order as presented.
  const events = bundle.events;
  let inOrder = true;
  for (let i = 1; i < events.length; i++) {
    const prev = events[i - 1].revision;
    const cur = events[i].revision;
    if (cur === prev) {
      problems.push(`revision ${cur} appears twice`);
      inOrder = false;
    } else if (cur < prev) {
      problems.push(`events out of order: revision ${prev} comes before revision ${cur} — events were swapped or reordered`);
      inOrder = false;
    }
  }

  // Completeness from revision 0, judged on the revisions present whatever their order.
  const sorted = [...events].sort((a, b) => a.revision - b.revision);
  let expected = 0;
  for (const e of sorted) {
    if (e.revision > expected) {
      problems.push(
        e.revision - 1 === expected
          ? `revision ${expected} is missing before revision ${e.revision} — an event was dropped`
          : `revisions ${expected} to ${e.revision - 1} are missing before revision ${e.revision} — events were dropped`,
      );
    }
    expected = Math.max(expected, e.revision + 1);
  }

  // Links, between events adjacent by revision.
  if (inOrder) {
    for (let i = 0; i < sorted.length; i++) {
      const e = sorted[i];
      if (e.revision === 0) {
        if (e.prevHash !== GENESIS) problems.push(`${at(e)} is the first event but its prevHash is ${short(e.prevHash)}, not 64 zeros`);
      } else if (i > 0 && sorted[i - 1].revision === e.revision - 1 && e.prevHash !== sorted[i - 1].hash) {
        problems.push(
          `${at(e)} does not link to revision ${e.revision - 1}: prevHash ${short(e.prevHash)} ≠ previous hash ${short(sorted[i - 1].hash)}`,
        );
      }
    }
  }
  add(
    'hash-chain',
    problems.length === 0,
    problems.length === 0
      ? `revisions 0 to ${sorted[sorted.length - 1].revision} link in order from the genesis hash`
      : problems.join('; '),
  );
}

/** (d) the key, the log id and the head's signature: head-key.verify.ts. Returns the key the head was checked under, or null. */
function checkKeyAndHead(bundle: EvidenceBundle, options: BundleVerifyOptions, add: Add): Uint8Array | null {
  const { checks, key } = headKeyChecks(bundle.treeHead, bundle.publicKey, options);
  for (const c of checks) add(c.check, c.ok, c.detail, c.unproven);
  return key;
}

/** (c) every inclusion proof against the head's root and size. */
function checkInclusion(bundle: EvidenceBundle, add: Add): void {
  const head = bundle.treeHead;
  const problems: string[] = [];
  let root: Uint8Array | null = null;
  try {
    root = hexToBytes(String(head.rootHash));
  } catch {
    problems.push("the head's root hash is not hex");
  }
  if (root !== null) {
    for (const e of bundle.events) {
      const inc = e.inclusion;
      if (!inc || !Array.isArray(inc.proof)) {
        problems.push(`${at(e)} has no inclusion proof`);
        continue;
      }
      if (inc.treeSize !== head.treeSize) {
        problems.push(`${at(e)}: the proof is for another tree size (${inc.treeSize}), not the head's ${head.treeSize}`);
        continue;
      }
      if (typeof e.hash !== 'string' || !HEX64.test(e.hash)) {
        problems.push(`${at(e)}: its hash is not 64 hex digits`);
        continue;
      }
      let proof: Uint8Array[];
      try {
        proof = inc.proof.map((h) => hexToBytes(h));
      } catch {
        problems.push(`${at(e)}: the proof holds something that is not hex`);
        continue;
      }
      const result = verifyInclusion({
        leafIndex: inc.leafIndex,
        treeSize: head.treeSize,
        leafHash: leafHash(hexToBytes(e.hash)),
        proof,
        rootHash: root,
      });
      if (!result.ok) problems.push(`${at(e)} (leaf ${inc.leafIndex}): ${result.reason}`);
    }
  }
  add(
    'inclusion-proofs',
    problems.length === 0,
    problems.length === 0
      ? `all ${bundle.events.length} events are in the log of size ${head.treeSize} under root ${short(head.rootHash)}`
      : problems.join('; '),
  );
}

/** (e) the bundle's own hash and the certificate's copy of it. */
function checkBundleHash(bundle: EvidenceBundle, add: Add): void {
  let recomputed: string;
  try {
    recomputed = computeBundleHash(bundle);
  } catch (error) {
    add('bundle-hash', false, `the bundle cannot be canonicalised: ${(error as Error).message}`);
    return;
  }
  const problems: string[] = [];
  if (bundle.bundleHash !== recomputed) {
    problems.push(
      `the bundle hash was altered or the bundle changed: recorded ${short(String(bundle.bundleHash))}, recomputed ${short(recomputed)}`,
    );
  }
  const certified = bundle.certificate?.partA?.hashValue;
  if (certified !== bundle.bundleHash) {
    problems.push(`the certificate's hash value ${short(String(certified))} is not the bundle hash ${short(String(bundle.bundleHash))}`);
  }
  add('bundle-hash', problems.length === 0, problems.length === 0 ? `SHA-256 ${recomputed}` : problems.join('; '));
}
