import { NoteError, type NoteVerifier } from '../checkpoint/signed-note';
import { parseVerifierKey } from '../checkpoint/signed-note';
import { Witness, type TrustedLog, type WitnessEvents } from './witness';
import { JsonFileWitnessState, loadOrCreateWitnessKey, prepareStateDir, WitnessSetupError, type WitnessKey } from './witness-files';
import { startWitnessServer, type RunningWitness } from './witness-server';

export interface WitnessOptions {
  stateDir: string;
  /** The key's name; required on first start, checked against the key on later ones. */
  name?: string;
  /** The logs' checkpoint verifier keys (`<origin>+<hex key ID>+<base64(0x01 || key)>`), several per origin allowed. */
  logKeys: readonly string[];
  host: string;
  port: number;
  /** Unix seconds for the cosignatures' timestamps. */
  nowSeconds?: () => number;
  events?: WitnessEvents;
}

/** The logs a witness follows, from their verifier keys: the key's name is the log's origin. */
export function trustedLogs(logKeys: readonly string[]): TrustedLog[] {
  if (logKeys.length === 0)
    throw new WitnessSetupError('no log to witness: give --log-key <verifier key> (or a --config file listing them)');
  const byOrigin = new Map<string, NoteVerifier[]>();
  for (const vkey of logKeys) {
    let verifier: NoteVerifier;
    try {
      verifier = parseVerifierKey(vkey);
    } catch (error) {
      if (error instanceof NoteError)
        throw new WitnessSetupError(`log key "${vkey}" is not an Ed25519 note verifier key: ${error.message}`);
      throw error;
    }
    byOrigin.set(verifier.name, [...(byOrigin.get(verifier.name) ?? []), verifier]);
  }
  return [...byOrigin].map(([origin, verifiers]) => ({ origin, verifiers }));
}

/** Prepares the state dir, loads (or makes) the key, and serves the witness until closed. */
export async function startWitness(options: WitnessOptions): Promise<{ key: WitnessKey; logs: TrustedLog[]; running: RunningWitness }> {
  const logs = trustedLogs(options.logKeys);
  prepareStateDir(options.stateDir);
  const key = loadOrCreateWitnessKey(options.stateDir, options.name, (m) => options.events?.log(m));
  const state = new JsonFileWitnessState(options.stateDir);
  const nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  const witness = new Witness(logs, key.signer(nowSeconds), state, options.events);
  const running = await startWitnessServer(witness, {
    host: options.host,
    port: options.port,
    onError: (error) => options.events?.warn(`internal error: ${error.message}`),
  });
  return { key, logs, running };
}
