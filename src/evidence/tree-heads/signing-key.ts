import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_SIGNING_KEY_FILE, privateFileProblems } from '../../config/file-modes';
import { readOrCreateSecretFile } from '../../platform/secret-file';
import { defaultLogOrigin } from '../../shared/log-origin';
import { ed25519KeyId, ed25519VerifierKey, type NoteSigner } from '../checkpoint/signed-note';
import { treeHeadSigningInput, type NextLogKey, type SignedTreeHead, type TreeHead } from './tree-head';

/** Where the generated key lives when EVIDENCE_SIGNING_KEY_FILE is not set. */
export { GENERATED_SIGNING_KEY_FILE };

export class SigningKeyError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SigningKeyError';
  }
}

/**
 * An Ed25519 key of the log: signs tree heads naming it (`keyId`). The log's first key names the
 * log (`logId`); a key that took over in a rotation signs for the log id of the first.
 */
export class LogSigningKey {
  /** The raw 32-byte public key. */
  readonly publicKeyRaw: Uint8Array;
  readonly publicKeyPem: string;
  /** Hex SHA-256 of the raw public key. */
  readonly keyId: string;
  /** The log this key signs for: its own key id unless it took over from an earlier key. */
  readonly logId: string;

  constructor(
    private readonly privateKey: KeyObject,
    logId?: string,
  ) {
    if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
      throw new SigningKeyError(
        `the evidence signing key must be an Ed25519 private key, got ${privateKey.asymmetricKeyType ?? privateKey.type}`,
      );
    }
    const publicKey = createPublicKey(privateKey);
    const jwk = publicKey.export({ format: 'jwk' });
    this.publicKeyRaw = new Uint8Array(Buffer.from(String(jwk.x), 'base64url'));
    this.publicKeyPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    this.keyId = createHash('sha256').update(this.publicKeyRaw).digest('hex');
    this.logId = logId ?? this.keyId;
  }

  /** This key signing for the log `logId` (the key id of the log's first key). */
  forLog(logId: string): LogSigningKey {
    return logId === this.logId ? this : new LogSigningKey(this.privateKey, logId);
  }

  /** The PKCS#8 PEM of the private key, to write it to its file. */
  privateKeyPem(): string {
    return this.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  }

  /** Base64 of the raw 32-byte public key. */
  get publicKeyBase64(): string {
    return Buffer.from(this.publicKeyRaw).toString('base64');
  }

  /** The origin of this key's log when LOG_ORIGIN is not set. */
  get defaultOrigin(): string {
    return defaultLogOrigin(this.logId);
  }

  /** This key as a note signer named `name` (the checkpoint origin): Ed25519 over the note text, key ID of type 0x01. */
  noteSigner(name: string): NoteSigner {
    return { name, keyId: ed25519KeyId(name, this.publicKeyRaw), sign: (message) => new Uint8Array(sign(null, message, this.privateKey)) };
  }

  /** The verifier key string of `noteSigner(name)`: `<name>+<hex key ID>+<base64(0x01 || public key)>`. */
  noteVerifierKey(name: string): string {
    return ed25519VerifierKey(name, this.publicKeyRaw);
  }

  /** Signs a head naming this key; `nextKey` only in the head announcing a rotation. */
  sign(head: { treeSize: number; rootHash: string; timestamp: string; nextKey?: NextLogKey }): SignedTreeHead {
    const unsigned: TreeHead = {
      logId: this.logId,
      keyId: this.keyId,
      treeSize: head.treeSize,
      rootHash: head.rootHash,
      timestamp: head.timestamp,
      ...(head.nextKey !== undefined && { nextKey: { publicKey: head.nextKey.publicKey, validFrom: head.nextKey.validFrom } }),
    };
    const signature = sign(null, treeHeadSigningInput(unsigned), this.privateKey).toString('base64');
    return { ...unsigned, signature };
  }

  static fromPem(pem: string | Buffer): LogSigningKey {
    let key: KeyObject;
    try {
      key = createPrivateKey(pem);
    } catch (error) {
      throw new SigningKeyError(`the evidence signing key is not a PKCS#8 PEM private key: ${(error as Error).message}`, { cause: error });
    }
    return new LogSigningKey(key);
  }

  static generate(): LogSigningKey {
    return new LogSigningKey(generateKeyPairSync('ed25519').privateKey);
  }
}

/**
 * The configured key file, else `<dataDir>/evidence-signing-key.pem`, generated on first start
 * by the write-once secret file (mode 0600, fsynced with its directory; two processes starting
 * at once end up sharing whichever key was linked first).
 */
export function loadOrCreateSigningKey(
  options: { keyFile?: string; dataDir: string },
  log: (message: string) => void = () => undefined,
): LogSigningKey {
  const keyPath = options.keyFile ?? join(options.dataDir, GENERATED_SIGNING_KEY_FILE);
  // Start-up refuses this already; checked again for every other way in (tools, tests).
  const [exposed] = privateFileProblems([{ variable: 'EVIDENCE_SIGNING_KEY_FILE', label: 'evidence signing key', path: keyPath }]);
  if (exposed) throw new SigningKeyError(exposed.reason);
  if (options.keyFile !== undefined) {
    let pem: Buffer;
    try {
      pem = readFileSync(options.keyFile);
    } catch (error) {
      throw new SigningKeyError(`EVIDENCE_SIGNING_KEY_FILE ${options.keyFile} cannot be read: ${(error as Error).message}`, {
        cause: error,
      });
    }
    return LogSigningKey.fromPem(pem);
  }
  const path = keyPath;
  const file = readOrCreateSecretFile(path, () =>
    generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  );
  if (file.created) log(`generated a new evidence signing key in ${path}; back it up with the data dir`);
  return LogSigningKey.fromPem(file.content);
}
