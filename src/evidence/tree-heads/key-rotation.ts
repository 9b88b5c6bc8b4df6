import { closeSync, existsSync, fchmodSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { privateFileProblems } from '../../config/file-modes';
import type { Clock } from '../../shared/clock';
import { MERKLE_LOG_TABLE_PREFIX, merkleLogTree } from '../merkle/merkle-log.projection';
import { signCheckpoint } from './log-checkpoint';
import { adoptSigningKey } from './log-keys';
import { GENERATED_SIGNING_KEY_FILE, LogSigningKey, SigningKeyError } from './signing-key';
import { SqliteLogKeyStore } from './sqlite/sqlite-log-key-store';
import { SqliteTreeHeadStore, type TreeHeadDatabase } from './sqlite/sqlite-tree-head-store';
import type { SignedTreeHead } from './tree-head';

/** Beside the key file: the private keys that signed before a rotation, each `<key id>.pem`, mode 0600. */
export const RETIRED_SIGNING_KEYS_DIR = 'retired-signing-keys';

export interface KeyRotationOptions {
  /** EVIDENCE_SIGNING_KEY_FILE; default `<dataDir>/evidence-signing-key.pem`. */
  keyFile?: string;
  dataDir: string;
  /** The read-model database (its writer lock held by the caller: the server must be stopped). */
  db: TreeHeadDatabase;
  clock: Clock;
  /** LOG_ORIGIN; default: the log's default origin. */
  origin?: string;
}

export interface KeyRotation {
  /** True when this run only finished a rotation recorded by an earlier, interrupted run. */
  resumed: boolean;
  /** The head signed by the outgoing key naming the incoming one (`nextKey`). */
  announcement: SignedTreeHead;
  previousKeyId: string;
  next: { keyId: string; publicKey: string; validFrom: string; checkpointVerifierKey: string };
  logId: string;
  origin: string;
  keyFile: string;
  /** Where the outgoing private key is kept (mode 0600). */
  retiredKeyFile: string;
}

/**
 * Rotates the evidence signing key of a stopped server's data dir, in an order that survives a
 * crash at any step:
 * 1. the new key is written to `<key file>.next` (mode 0600, fsynced);
 * 2. the outgoing key is kept as `retired-signing-keys/<key id>.pem` beside the key file (0600, dir 0700);
 * 3. in one transaction, the outgoing key signs a head of the Merkle log as it is, naming the new
 *    key and the instant it takes over (1 ms after the head), and the new key is added to `log_keys`;
 * 4. `<key file>.next` is renamed over the key file.
 * Stopped before 3, nothing was announced: the next run starts over. Stopped between 3 and 4, the
 * server refuses to start (its key file is not the log's current key) and the next run only does 4.
 */
export function rotateSigningKey(options: KeyRotationOptions): KeyRotation {
  const keyFile = options.keyFile ?? join(options.dataDir, GENERATED_SIGNING_KEY_FILE);
  const nextFile = `${keyFile}.next`;
  const retiredDir = join(dirname(keyFile), RETIRED_SIGNING_KEYS_DIR);
  if (!existsSync(keyFile)) throw new SigningKeyError(`there is no evidence signing key at ${keyFile} to rotate`);
  refuseExposed([
    { path: keyFile, label: 'evidence signing key' },
    { path: nextFile, label: 'the new evidence signing key' },
    { path: retiredDir, label: 'the retired signing keys directory' },
  ]);
  const oldPem = readFileSync(keyFile);
  const fileKey = LogSigningKey.fromPem(oldPem);
  const heads = new SqliteTreeHeadStore(options.db);
  heads.setup();
  const keys = new SqliteLogKeyStore(options.db);
  keys.setup();

  const recorded = keys.all();
  const current = recorded[recorded.length - 1];
  if (current !== undefined && current.keyId !== fileKey.keyId) {
    const pending = existsSync(nextFile) ? LogSigningKey.fromPem(readFileSync(nextFile)) : undefined;
    if (pending?.keyId !== current.keyId) {
      throw new SigningKeyError(
        `${keyFile} holds key ${fileKey.keyId.slice(0, 16)}…, not the log's current key ${current.keyId.slice(0, 16)}… (table log_keys), ` +
          `and ${nextFile} does not hold it either: restore the current key before rotating`,
      );
    }
    const announcement = current.announcedAt === null ? undefined : heads.at(current.announcedAt);
    if (announcement === undefined) throw new SigningKeyError(`the announcement of key ${current.keyId} is missing from tree_heads`);
    replaceKeyFile(nextFile, keyFile);
    const previous = recorded[recorded.length - 2];
    return describe(true, announcement, previous.keyId, pending.forLog(recorded[0].keyId), current.validFrom, options, keyFile, retiredDir);
  }
  // Left by a run stopped before the announcement: never announced, never used.
  if (existsSync(nextFile)) rmSync(nextFile);

  const outgoing = adoptSigningKey(fileKey, keys, heads, options.clock);
  const incoming = LogSigningKey.generate().forLog(outgoing.logId);
  writePrivateFile(nextFile, incoming.privateKeyPem());
  mkdirSync(retiredDir, { recursive: true, mode: 0o700 });
  const retiredFile = join(retiredDir, `${outgoing.keyId}.pem`);
  if (!existsSync(retiredFile)) writePrivateFile(retiredFile, oldPem.toString());
  const origin = options.origin ?? outgoing.defaultOrigin;
  const { announcement, validFrom } = heads.inTransaction(() => announce(options, heads, keys, outgoing, incoming, origin));
  replaceKeyFile(nextFile, keyFile);
  return describe(false, announcement, outgoing.keyId, incoming, validFrom, options, keyFile, retiredDir);
}

function announce(
  options: KeyRotationOptions,
  heads: SqliteTreeHeadStore,
  keys: SqliteLogKeyStore,
  outgoing: LogSigningKey,
  incoming: LogSigningKey,
  origin: string,
): { announcement: SignedTreeHead; validFrom: string } {
  const hasTree = options.db
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`)
    .get(`${MERKLE_LOG_TABLE_PREFIX}_nodes`);
  if (hasTree === undefined) throw new SigningKeyError('the Merkle log does not exist yet: start the server once before rotating its key');
  const tree = merkleLogTree(options.db);
  const last = heads.latest();
  const size = tree.size();
  if (last !== undefined && size < last.treeSize) {
    throw new SigningKeyError(
      `the Merkle log holds ${size} events, fewer than the last head's ${last.treeSize}: let the server finish rebuilding it first`,
    );
  }
  const rootHash = tree.rootHex(size);
  if (last !== undefined && size === last.treeSize && rootHash !== last.rootHash) {
    throw new SigningKeyError(
      `the Merkle log of ${size} events has root ${rootHash}, but the last head signed ${last.rootHash}; refusing to sign a fork`,
    );
  }
  const nowMs = Date.parse(options.clock.now());
  const timestampMs = last === undefined ? nowMs : Math.max(nowMs, Date.parse(last.timestamp) + 1);
  const timestamp = new Date(timestampMs).toISOString();
  const validFrom = new Date(timestampMs + 1).toISOString();
  const announcement = outgoing.sign({ treeSize: size, rootHash, timestamp, nextKey: { publicKey: incoming.publicKeyBase64, validFrom } });
  heads.insert(announcement, signCheckpoint(outgoing, origin, announcement));
  keys.insert({ keyId: incoming.keyId, publicKey: incoming.publicKeyBase64, validFrom, announcedAt: timestamp });
  return { announcement, validFrom };
}

function describe(
  resumed: boolean,
  announcement: SignedTreeHead,
  previousKeyId: string,
  incoming: LogSigningKey,
  validFrom: string,
  options: KeyRotationOptions,
  keyFile: string,
  retiredDir: string,
): KeyRotation {
  const origin = options.origin ?? incoming.defaultOrigin;
  return {
    resumed,
    announcement,
    previousKeyId,
    next: {
      keyId: incoming.keyId,
      publicKey: incoming.publicKeyBase64,
      validFrom,
      checkpointVerifierKey: incoming.noteVerifierKey(origin),
    },
    logId: incoming.logId,
    origin,
    keyFile,
    retiredKeyFile: join(retiredDir, `${previousKeyId}.pem`),
  };
}

function refuseExposed(files: ReadonlyArray<{ path: string; label: string }>): void {
  const [exposed] = privateFileProblems(files.map((f) => ({ variable: 'EVIDENCE_SIGNING_KEY_FILE', ...f })));
  if (exposed) throw new SigningKeyError(exposed.reason);
}

/** Creates `path` (it must not exist) with mode exactly 0600, whatever the umask, and fsyncs it. */
function writePrivateFile(path: string, content: string): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  fsyncDirectory(dirname(path));
}

function replaceKeyFile(from: string, to: string): void {
  renameSync(from, to);
  fsyncDirectory(dirname(to));
}

function fsyncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
