/**
 * The verifier's trust file: the witnesses whose cosignatures count, and how many must have
 * cosigned — keys the verifier got from the witnesses themselves, never from the bundle.
 * `{ "witnesses": [{ "name": "…", "verifierKey": "<name>+<hex key ID>+<base64>" }], "witnessQuorum": 2 }`
 * Pure and portable: the CLI reads the file, the console could take the same JSON.
 */
import { parseCosignatureVerifierKey } from '../checkpoint/cosignature';

export interface TrustedWitness {
  name: string;
  /** The witness's cosignature/v1 (or Ed25519) note verifier key. */
  verifierKey: string;
}

export interface TrustFile {
  witnesses: TrustedWitness[];
  /** How many distinct witnesses must have cosigned; default: all listed. */
  witnessQuorum: number;
}

export class TrustFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrustFileError';
  }
}

/** Checks a parsed trust file, field by field, and says which one is wrong and why. */
export function parseTrustFile(json: unknown): TrustFile {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new TrustFileError('the trust file must be a JSON object');
  const { witnesses, witnessQuorum } = json as { witnesses?: unknown; witnessQuorum?: unknown };
  if (witnesses === undefined) throw new TrustFileError('"witnesses" is missing: give a list of { "name", "verifierKey" }');
  if (!Array.isArray(witnesses)) throw new TrustFileError('"witnesses" must be a list of { "name", "verifierKey" }');
  const list: TrustedWitness[] = witnesses.map((entry: unknown, i) => {
    const w = entry as { name?: unknown; verifierKey?: unknown } | null;
    if (w === null || typeof w !== 'object') throw new TrustFileError(`witnesses[${i}] must be an object { "name", "verifierKey" }`);
    if (typeof w.name !== 'string' || w.name === '') throw new TrustFileError(`witnesses[${i}].name must be a non-empty string`);
    if (typeof w.verifierKey !== 'string') throw new TrustFileError(`witnesses[${i}].verifierKey must be a verifier key string`);
    witnessKeyProblem(w.verifierKey, `witnesses[${i}].verifierKey`);
    if (!w.verifierKey.startsWith(`${w.name}+`)) {
      throw new TrustFileError(`witnesses[${i}].verifierKey is named "${w.verifierKey.split('+')[0]}", not "${w.name}"`);
    }
    return { name: w.name, verifierKey: w.verifierKey };
  });
  const quorum = witnessQuorum ?? list.length;
  if (typeof quorum !== 'number' || !Number.isInteger(quorum) || quorum < 0) {
    throw new TrustFileError('"witnessQuorum" must be a whole number of witnesses');
  }
  if (quorum > list.length) throw new TrustFileError(`"witnessQuorum" is ${quorum}, more than the ${list.length} witnesses listed`);
  return { witnesses: list, witnessQuorum: quorum };
}

/** Throws TrustFileError naming `field` when `vkey` is not a witness verifier key. */
export function witnessKeyProblem(vkey: string, field: string): void {
  try {
    parseCosignatureVerifierKey(vkey);
  } catch (error) {
    throw new TrustFileError(
      `${field} "${vkey}" is not a witness verifier key (<name>+<8 hex digits>+<base64 key>): ${(error as Error).message}`,
    );
  }
}

/** A witness from its verifier key alone (`--witness <vkey>`): the key's name is the witness's. */
export function witnessFromKey(vkey: string): TrustedWitness {
  witnessKeyProblem(vkey, '--witness');
  return { name: vkey.split('+')[0], verifierKey: vkey };
}
