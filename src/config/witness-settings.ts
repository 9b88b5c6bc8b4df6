import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ConfigProblem } from './env-schema';

/** A witness the log asks to cosign its checkpoints. */
export interface WitnessEndpoint {
  /** Its key's name, as in its verifier key. */
  readonly name: string;
  /** Its submission prefix: `add-checkpoint` is POSTed to `<url>/add-checkpoint`. */
  readonly url: string;
  /** Its cosignature/v1 verifier key (`seizure-ledger witness key` prints it); checked in full when the evidence side starts. */
  readonly verifierKey: string;
}

export interface WitnessingConfig {
  readonly witnesses: readonly WitnessEndpoint[];
  /** How many of them must cosign a checkpoint before a bundle is issued against it (WITNESS_QUORUM; default: all). */
  readonly quorum: number;
  /** How long one submission to a witness, and a bundle request waiting for a quorum, may take (WITNESS_TIMEOUT_MS). */
  readonly timeoutMs: number;
}

export const DEFAULT_WITNESS_TIMEOUT_MS = 10_000;
export const MAX_WITNESS_TIMEOUT_MS = 120_000;
const VERIFIER_KEY = /^[^+\s]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+={0,2}$/;

/**
 * Reads WITNESS_CONFIG_FILE, a JSON file `{ "witnesses": [{ "name", "url", "verifierKey" }] }`,
 * and WITNESS_QUORUM and WITNESS_TIMEOUT_MS beside it. Without the file there are no witnesses,
 * and the other two must not be set either.
 */
export function readWitnessSettings(
  vars: { WITNESS_CONFIG_FILE?: string; WITNESS_QUORUM?: number; WITNESS_TIMEOUT_MS?: number },
  cwd: string,
): { settings?: WitnessingConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  if (vars.WITNESS_CONFIG_FILE === undefined) {
    for (const name of ['WITNESS_QUORUM', 'WITNESS_TIMEOUT_MS'] as const) {
      if (vars[name] !== undefined) problems.push({ variable: name, reason: 'has no effect without WITNESS_CONFIG_FILE' });
    }
    return { problems };
  }
  const path = resolve(cwd, vars.WITNESS_CONFIG_FILE);
  const fail = (reason: string) => ({ problems: [...problems, { variable: 'WITNESS_CONFIG_FILE', reason: `${path}: ${reason}` }] });
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return fail((error as Error).message);
  }
  const list = (parsed as { witnesses?: unknown } | null)?.witnesses;
  if (!Array.isArray(list) || list.length === 0) return fail('must be a JSON object with a non-empty "witnesses" array');
  const witnesses: WitnessEndpoint[] = [];
  for (const [i, entry] of list.entries()) {
    const w = entry as Partial<Record<keyof WitnessEndpoint, unknown>>;
    if (typeof w?.name !== 'string' || w.name === '') return fail(`witnesses[${i}].name must be a non-empty string`);
    if (typeof w.url !== 'string' || !/^https?:\/\/\S+$/.test(w.url)) return fail(`witnesses[${i}].url must be an http(s) URL`);
    if (typeof w.verifierKey !== 'string' || !VERIFIER_KEY.test(w.verifierKey) || !w.verifierKey.startsWith(`${w.name}+`)) {
      return fail(`witnesses[${i}].verifierKey must be the witness's verifier key "${w.name}+<8 hex digits>+<base64>"`);
    }
    if (witnesses.some((other) => other.verifierKey === w.verifierKey)) return fail(`witnesses[${i}] lists a key already listed`);
    witnesses.push({ name: w.name, url: w.url.replace(/\/+$/, ''), verifierKey: w.verifierKey });
  }
  const quorum = vars.WITNESS_QUORUM ?? witnesses.length;
  if (quorum > witnesses.length) {
    problems.push({ variable: 'WITNESS_QUORUM', reason: `is ${quorum}, more than the ${witnesses.length} witnesses configured` });
  }
  return { settings: { witnesses, quorum, timeoutMs: vars.WITNESS_TIMEOUT_MS ?? DEFAULT_WITNESS_TIMEOUT_MS }, problems };
}
