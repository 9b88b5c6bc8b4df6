import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ConfigProblem } from './env-schema';

export const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

/** Tokens come from an outside identity provider; only its public key is known here. */
export interface PublicKeyConfig {
  readonly kind: 'public-key';
  readonly key: KeyObject;
  readonly algorithms: readonly AsymmetricAlgorithm[];
  readonly source: string;
}

export type KeyResult<K> = { key: K } | { problem: ConfigProblem };

/** Where the PEM comes from: the variable's text, or the file it names. */
export interface PublicKeyVariables {
  JWT_PUBLIC_KEY?: string;
  JWT_PUBLIC_KEY_FILE?: string;
}

/** The identity provider's public key, checked against the algorithms asked for (if any). */
export function publicKeyFrom(vars: PublicKeyVariables, requested: string[] | undefined): KeyResult<PublicKeyConfig> {
  const pem = readPem(vars);
  if ('problem' in pem) return pem;
  const { variable } = pem;
  const fail = (reason: string): KeyResult<PublicKeyConfig> => ({ problem: { variable, reason } });

  // Refused rather than reduced to its public half: a private key in the environment is a leak to fix.
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem.text)) {
    return fail('holds a private key; configure only the identity provider\u2019s public key');
  }
  if (!pem.text.includes('-----BEGIN ')) return fail('must be a PEM-encoded public key (-----BEGIN PUBLIC KEY-----)');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem.text, format: 'pem' });
  } catch {
    return fail('is not a valid PEM public key or certificate');
  }

  const supported = algorithmsForKey(key);
  if ('problem' in supported) return fail(supported.problem);
  let algorithms: AsymmetricAlgorithm[] = [supported.preferred];
  if (requested !== undefined) {
    const isAllowed = (name: string): name is AsymmetricAlgorithm => (supported.allowed as readonly string[]).includes(name);
    const refused = requested.filter((name) => !isAllowed(name));
    if (refused.length > 0) {
      return {
        problem: {
          variable: 'JWT_ALGORITHMS',
          reason: `${refused.join(', ')} cannot be used with this ${describeKey(key)}; ` + `allowed: ${supported.allowed.join(', ')}`,
        },
      };
    }
    algorithms = requested.filter(isAllowed);
  }
  const source = variable === 'JWT_PUBLIC_KEY_FILE' ? `file ${vars.JWT_PUBLIC_KEY_FILE}` : 'JWT_PUBLIC_KEY';
  return { key: Object.freeze({ kind: 'public-key', key, algorithms: Object.freeze(algorithms), source }) };
}

type PemSource = { variable: 'JWT_PUBLIC_KEY' | 'JWT_PUBLIC_KEY_FILE'; text: string };

function readPem(vars: PublicKeyVariables): PemSource | { problem: ConfigProblem } {
  if (vars.JWT_PUBLIC_KEY_FILE !== undefined) {
    const variable = 'JWT_PUBLIC_KEY_FILE';
    try {
      return { variable, text: readFileSync(vars.JWT_PUBLIC_KEY_FILE, 'utf8') };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      return { problem: { variable, reason: `${vars.JWT_PUBLIC_KEY_FILE} cannot be read (${code})` } };
    }
  }
  // Env files and orchestrators often carry a PEM on one line with literal "\n" separators.
  return { variable: 'JWT_PUBLIC_KEY', text: (vars.JWT_PUBLIC_KEY ?? '').replace(/\\n/g, '\n') };
}

const CURVE_ALGORITHMS: Readonly<Record<string, AsymmetricAlgorithm>> = {
  prime256v1: 'ES256',
  secp384r1: 'ES384',
  secp521r1: 'ES512',
};
const MIN_RSA_BITS = 2048;

function algorithmsForKey(
  key: KeyObject,
): { allowed: readonly AsymmetricAlgorithm[]; preferred: AsymmetricAlgorithm } | { problem: string } {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
      if ((details.modulusLength ?? 0) < MIN_RSA_BITS) {
        return { problem: `is a ${details.modulusLength ?? '?'}-bit RSA key; at least ${MIN_RSA_BITS} bits are required` };
      }
      return { allowed: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'], preferred: 'RS256' };
    case 'ec': {
      const algorithm = CURVE_ALGORITHMS[details.namedCurve ?? ''];
      if (algorithm === undefined) {
        return { problem: `uses the EC curve ${details.namedCurve ?? '?'}; use P-256, P-384 or P-521` };
      }
      return { allowed: [algorithm], preferred: algorithm };
    }
    case 'ed25519':
    case 'ed448':
      return { allowed: ['EdDSA'], preferred: 'EdDSA' };
    default:
      return { problem: `is a ${key.asymmetricKeyType ?? 'unknown'} key; use an RSA, EC (P-256/384/521) or Ed25519 key` };
  }
}

function describeKey(key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') return `EC ${details.namedCurve ?? ''} key`;
  if (key.asymmetricKeyType === 'rsa') return `${details.modulusLength ?? ''}-bit RSA key`;
  return `${key.asymmetricKeyType ?? 'unknown'} key`;
}
