import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { EvidenceBundle } from '../../evidence/bundle/evidence-bundle';
import type { SignedTreeHead } from '../../evidence/tree-heads/tree-head';
import { base64ToBytes, verifyEvidenceBundle, type VerificationReport } from '../../evidence/verify/bundle.verify';
import { verifyHeadConsistency } from '../../evidence/verify/consistency.verify';
import { keySetOf, parseLogKeySet, type LogKeySet } from '../../evidence/verify/log-key-set';
import { parseTrustFile, TrustFileError, witnessFromKey, type TrustedWitness, type TrustFile } from '../../evidence/verify/trust-file';
import { checkMark, verdictLine } from '../../evidence/verify/verdict';
import { CliCommand, CliFailure, CliIo, EXIT_FAILURE, EXIT_OK, UsageError } from '../cli-command';

const VERIFY_USAGE = `Usage: seizure-ledger verify <bundle.json> [--public-key <base64|file>]... [--trust <file>] [--require-key] [--json]
                             [--witness <verifier key> …] [--witness-quorum N]

Checks an evidence bundle offline — no server, no network: every event's hash, the hash chain
from revision 0, every inclusion proof against the signed tree head, the head's Ed25519
signature and log id, and the bundle's own SHA-256 (the one on the Section 63 certificate).
--public-key is the ledger's published raw Ed25519 key in base64, or a file holding it. Without
it the key embedded in the bundle is used, which shows only that the bundle agrees with itself:
the verdict then says NOT AUTHENTICATED and the key check is marked "!", never "✓".
--public-key may be repeated: the head is then checked under whichever of the keys it names.
--trust <file> is JSON that may hold the log's keys with their validity ({"logKeys": [{"publicKey",
"validFrom", "validUntil"}]}, or a saved GET /evidence/public-key): the head must be signed by the
key it names, valid at the head's time — so a bundle made before a key rotation verifies after it;
and the witnesses ({"witnesses": [{"name", "verifierKey"}], "witnessQuorum": N}).
--require-key makes an outside key mandatory (a usage error without --public-key or logKeys).
A format-2 bundle also carries the head as a C2SP checkpoint with the witnesses' cosignatures.
--witness gives a witness's verifier key (as \`seizure-ledger witness key\` prints it, obtained
from the witness, not from the bundle or the ledger); repeatable. The check then names the given
witnesses that cosigned, reports a cosignature by any other key as "unknown witness, not counted",
and fails when a given witness's cosignature does not verify or fewer than --witness-quorum
(default: the trust file's, else all given) did. Format-1 bundles carry no cosignatures.
Exits 0 when every check holds, 1 when any fails, 2 on a usage error. --json prints the report
as JSON, with "keySource" saying which key was used.`;

const HEADS_USAGE = `Usage: seizure-ledger verify-heads <older.json> <newer.json> --proof <proof.json> (--public-key <base64|file>... | --trust <file>) [--json]

Checks offline that the newer signed tree head extends the older one: both signatures, the same
log, sizes and timestamps in order, and the RFC 9162 consistency proof (proof.json: a JSON array
of hex hashes, or an object with a "proof" array). Exits 0 when every check holds, 1 when any
fails, 2 on a usage error.`;

function parse(args: readonly string[], withProof: boolean) {
  try {
    return parseArgs({
      args: [...args],
      options: {
        'public-key': { type: 'string', multiple: true },
        trust: { type: 'string' },
        json: { type: 'boolean' },
        ...(withProof
          ? {}
          : {
              'require-key': { type: 'boolean' as const },
              witness: { type: 'string' as const, multiple: true as const },
              'witness-quorum': { type: 'string' as const },
              trust: { type: 'string' as const },
            }),
        help: { type: 'boolean', short: 'h' },
        ...(withProof ? { proof: { type: 'string' as const } } : {}),
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function pathIn(io: CliIo, file: string): string {
  return isAbsolute(file) ? file : resolve(io.cwd, file);
}

export function readJson(io: CliIo, file: string, what: string): unknown {
  const path = pathIn(io, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliFailure(`${what} ${file} is not JSON: ${(error as Error).message}`);
  }
}

/** The keys given: a trust file's key set, or the --public-key values; undefined when none. */
export function keySetFrom(io: CliIo, publicKeys: readonly string[] | undefined, trust: string | undefined): LogKeySet | undefined {
  const trusted = trust === undefined ? undefined : readJson(io, trust, 'trust file');
  const holdsLogKeys = trusted !== null && typeof trusted === 'object' && 'logKeys' in trusted;
  if (trust !== undefined && !holdsLogKeys && !(trusted !== null && typeof trusted === 'object' && 'witnesses' in trusted)) {
    throw new UsageError(`--trust ${trust}: names neither "logKeys" nor "witnesses"`);
  }
  if (holdsLogKeys && publicKeys !== undefined) throw new UsageError('give the log keys either with --public-key or in --trust, not both');
  if (holdsLogKeys) {
    const reading = parseLogKeySet(trusted);
    if (!reading.ok) throw new UsageError(`--trust ${trust}: ${reading.reason}`);
    return reading.set;
  }
  return publicKeys === undefined ? undefined : keySetOf(publicKeys.map((value) => publicKeyFrom(io, value)));
}

/** A base64 raw 32-byte key, given inline or in a file. */
export function publicKeyFrom(io: CliIo, value: string): Uint8Array {
  const path = pathIn(io, value);
  const text = existsSync(path) ? readFileSync(path, 'utf8').trim() : value.trim();
  let key: Uint8Array;
  try {
    key = base64ToBytes(text);
  } catch {
    throw new UsageError('--public-key is neither a file nor base64');
  }
  if (key.length !== 32) throw new UsageError(`--public-key must be a raw 32-byte Ed25519 key, got ${key.length} bytes`);
  return key;
}

interface WitnessValues {
  witness?: string[];
  'witness-quorum'?: string;
  trust?: string;
}

/** The witnesses and quorum of --trust, --witness and --witness-quorum; usage errors say which value is wrong. */
export function witnessOptions(io: CliIo, values: WitnessValues): { witnesses?: TrustedWitness[]; witnessQuorum?: number } {
  let trusted: TrustFile | undefined;
  const witnesses: TrustedWitness[] = [];
  try {
    const json = values.trust === undefined ? undefined : readJson(io, values.trust, 'trust file');
    // A trust file may hold only the log's keys (a saved /evidence/public-key).
    if (json !== null && typeof json === 'object' && 'witnesses' in json) {
      trusted = parseTrustFile(json);
      witnesses.push(...trusted.witnesses);
    }
    for (const vkey of values.witness ?? []) {
      const w = witnessFromKey(vkey);
      if (!witnesses.some((other) => other.verifierKey === w.verifierKey)) witnesses.push(w);
    }
  } catch (error) {
    if (error instanceof TrustFileError) throw new UsageError(error.message);
    throw error;
  }
  let quorum = trusted?.witnessQuorum ?? witnesses.length;
  if (values['witness-quorum'] !== undefined) {
    if (!/^[0-9]+$/.test(values['witness-quorum']))
      throw new UsageError(`--witness-quorum must be a whole number (got "${values['witness-quorum']}")`);
    quorum = Number(values['witness-quorum']);
  }
  if (quorum > witnesses.length) throw new UsageError(`--witness-quorum ${quorum} is more than the ${witnesses.length} witness keys given`);
  return witnesses.length === 0 && quorum === 0 ? {} : { witnesses, witnessQuorum: quorum };
}

function print(io: CliIo, report: VerificationReport, title: string, json: boolean): number {
  if (json) {
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const lines = report.checks.map((c) => `${checkMark(c)} ${c.check}: ${c.detail}`);
    lines.push(verdictLine(report, title));
    io.stdout(`${lines.join('\n')}\n`);
  }
  return report.ok ? EXIT_OK : EXIT_FAILURE;
}

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'check an evidence bundle offline (hashes, chain, inclusion proofs, signed head, bundle hash)',
  usage: VERIFY_USAGE,
  run(args: readonly string[], io: CliIo): number {
    const { values, positionals } = parse(args, false);
    if (values.help) {
      io.stdout(VERIFY_USAGE);
      return EXIT_OK;
    }
    if (positionals.length !== 1) throw new UsageError('give exactly one bundle file');
    const keySet = keySetFrom(io, values['public-key'], values.trust);
    if ((values as { 'require-key'?: boolean })['require-key'] === true && keySet === undefined) {
      throw new UsageError("--require-key: give the ledger's published key with --public-key, or its keys with --trust");
    }
    const witnesses = witnessOptions(io, values as WitnessValues);
    const bundle = readJson(io, positionals[0], 'bundle') as EvidenceBundle;
    const report = verifyEvidenceBundle(bundle, { ...(keySet && { keySet }), ...witnesses });
    return print(io, report, positionals[0], values.json === true);
  },
};

export const verifyHeadsCommand: CliCommand = {
  name: 'verify-heads',
  summary: 'check offline that a newer signed tree head extends an older one (consistency proof)',
  usage: HEADS_USAGE,
  run(args: readonly string[], io: CliIo): number {
    const { values, positionals } = parse(args, true);
    if (values.help) {
      io.stdout(HEADS_USAGE);
      return EXIT_OK;
    }
    if (positionals.length !== 2) throw new UsageError('give the older and the newer head files');
    const proofFile = (values as { proof?: string }).proof;
    if (proofFile === undefined) throw new UsageError('--proof <proof.json> is required');
    const keySet = keySetFrom(io, values['public-key'], values.trust);
    if (keySet === undefined) throw new UsageError('--public-key or --trust is required');
    const older = readJson(io, positionals[0], 'head') as SignedTreeHead;
    const newer = readJson(io, positionals[1], 'head') as SignedTreeHead;
    const proofJson = readJson(io, proofFile, 'proof');
    const proof = Array.isArray(proofJson) ? proofJson : (proofJson as { proof?: unknown })?.proof;
    if (!Array.isArray(proof) || !proof.every((h) => typeof h === 'string')) {
      throw new CliFailure(`proof ${proofFile} is neither an array of hex hashes nor an object with one under "proof"`);
    }
    const report = verifyHeadConsistency(older, newer, proof, keySet);
    return print(io, report, `${positionals[0]} → ${positionals[1]}`, values.json === true);
  },
};
