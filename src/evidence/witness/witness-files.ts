/**
 * A witness's files in its state directory: its Ed25519 key (generated on first start, mode 0600,
 * refused when other users may read it, like the ledger's own keys) and its state, one JSON file
 * replaced atomically and fsynced (mode 0600) each time it cosigns.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { dataDirModeProblem, privateFileProblems } from '../../config/file-modes';
import { readOrCreateSecretFile } from '../../platform/secret-file';
import { cosignatureSigner, cosignatureVerifierKey } from '../checkpoint/cosignature';
import { fromBase64, isValidKeyName } from '../checkpoint/note-bytes';
import { ed25519KeyPair, type NoteSigner } from '../checkpoint/signed-note';
import type { WitnessRecord, WitnessStateStore } from './witness';

export const WITNESS_KEY_FILE = 'witness-key';
export const WITNESS_STATE_FILE = 'witness-state.json';

export class WitnessSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WitnessSetupError';
  }
}

export interface WitnessKey {
  name: string;
  /** The cosignature/v1 verifier key, `<name>+<hex key ID>+<base64(0x04 || public key)>`: what the log operator and verifiers are given. */
  verifierKey: string;
  signer: (nowSeconds: () => number) => NoteSigner;
}

/** Creates the state directory (0700) or checks that no other user may write it. */
export function prepareStateDir(dir: string): void {
  const stats = statSync(dir, { throwIfNoEntry: false });
  if (stats === undefined) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return;
  }
  if (!stats.isDirectory()) throw new WitnessSetupError(`${dir} exists and is not a directory`);
  const problem = dataDirModeProblem(dir, stats.mode);
  if (problem !== undefined) throw new WitnessSetupError(problem);
}

/**
 * The witness key of `dir`: read, or generated under `name` on first start. The file holds the key
 * in the Go note format `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || seed)>`; a later `name`
 * must match it, since the name is part of the key every verifier was given.
 */
export function loadOrCreateWitnessKey(
  dir: string,
  name: string | undefined,
  log: (message: string) => void = () => undefined,
): WitnessKey {
  const path = join(dir, WITNESS_KEY_FILE);
  const [exposed] = privateFileProblems([{ variable: '--state-dir', label: 'witness key', path }]);
  if (exposed) throw new WitnessSetupError(exposed.reason);
  const exists = statSync(path, { throwIfNoEntry: false }) !== undefined;
  if (!exists && name === undefined) throw new WitnessSetupError(`${path} does not exist yet: give --name to generate the witness key`);
  if (name !== undefined && !isValidKeyName(name)) {
    throw new WitnessSetupError(`--name "${name}" is not a key name: no spaces, no "+", not empty (e.g. witness.ceo-up.gov.in)`);
  }
  const file = readOrCreateSecretFile(path, () => `${ed25519KeyPair(name as string, randomBytes(32)).skey}\n`);
  if (file.created) log(`generated a new witness key in ${path}; back it up, and keep it nowhere else`);
  // PRIVATE+KEY+<name>+<hex key ID>+<base64>: the base64 may itself hold '+'.
  const match = /^PRIVATE\+KEY\+([^+]+)\+[0-9a-f]{8}\+(\S+)$/.exec(file.content.trim());
  const typed = match === null ? null : fromBase64(match[2]);
  if (match === null || typed === null || typed.length !== 33 || typed[0] !== 0x01) {
    throw new WitnessSetupError(`${path} does not hold a witness key`);
  }
  const keyName = match[1];
  if (name !== undefined && name !== keyName) {
    throw new WitnessSetupError(`--name "${name}" differs from the name "${keyName}" of the key in ${path}; the name is part of the key`);
  }
  const seed = typed.slice(1);
  const publicKey = cosignatureSigner(keyName, seed, () => 0).publicKey;
  return {
    name: keyName,
    verifierKey: cosignatureVerifierKey(keyName, publicKey),
    signer: (nowSeconds) => cosignatureSigner(keyName, seed, nowSeconds),
  };
}

interface StateFile {
  version: 1;
  logs: Record<string, WitnessRecord>;
}

/** The witness's records in one JSON file, read once and rewritten whole (temp file, fsync, rename, fsync dir) on each put. */
export class JsonFileWitnessState implements WitnessStateStore {
  private readonly path: string;
  private readonly records: Map<string, WitnessRecord>;

  constructor(private readonly dir: string) {
    this.path = join(dir, WITNESS_STATE_FILE);
    const [exposed] = privateFileProblems([{ variable: '--state-dir', label: 'witness state', path: this.path }]);
    if (exposed) throw new WitnessSetupError(exposed.reason);
    this.records = new Map(Object.entries(this.read().logs));
  }

  get(origin: string): WitnessRecord | undefined {
    return this.records.get(origin);
  }

  put(record: WitnessRecord): void {
    const next = new Map(this.records).set(record.origin, record);
    const content: StateFile = { version: 1, logs: Object.fromEntries(next) };
    const temporary = join(this.dir, `.${WITNESS_STATE_FILE}.${process.pid}.tmp`);
    const fd = openSync(temporary, 'w', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(content, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.path);
    syncDirectory(this.dir);
    // Only once it is on disk does the witness answer with a cosignature.
    this.records.set(record.origin, record);
  }

  private read(): StateFile {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, logs: {} };
      throw error;
    }
    const parsed = JSON.parse(text) as Partial<StateFile>;
    if (parsed.version !== 1 || parsed.logs === null || typeof parsed.logs !== 'object') {
      throw new WitnessSetupError(`${this.path} is not a witness state file of version 1`);
    }
    return parsed as StateFile;
  }
}

function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not every platform can fsync a directory; the file itself is synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
