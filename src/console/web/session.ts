import type { Actor } from '../../shared/actor';

/**
 * The signed-in user: the bearer token and who the server says it names.
 *
 * The token is kept in sessionStorage, not localStorage. It is a bearer credential: whoever holds
 * it acts as the officer. sessionStorage belongs to this one tab and is gone when the tab closes,
 * so a shared election-office computer does not stay signed in for the next person, the token is
 * not copied to other tabs, and it is not kept on disk for days as localStorage would keep it.
 */
const TOKEN_KEY = 'seizure-ledger.token';

export interface Session {
  token: string;
  actor: Actor;
  /** From the token's `exp`; the server checks it on every request, this only warns and signs out in time. */
  expiresAt: Date | null;
}

export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function storeToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** A pasted token, as the `token` command prints it or with a "Bearer " prefix, quotes or line breaks around it. */
export function normalizeToken(text: string): string {
  return text
    .trim()
    .replace(/^["']|["']$/g, '')
    .replace(/^Bearer\s+/i, '')
    .replace(/\s+/g, '');
}

/** The token's `exp`, read without verifying (the server verifies); null when absent or unreadable. */
export function tokenExpiry(token: string): Date | null {
  const payload = token.split('.')[1];
  if (payload === undefined) return null;
  try {
    const json = atob(
      payload
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(payload.length / 4) * 4, '='),
    );
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? new Date(exp * 1000) : null;
  } catch {
    return null;
  }
}

/** "UP-VNS, UP-LKO" or "National". */
export function scopeText(scope: Actor['scope']): string {
  if (scope.national) return 'National';
  return [...scope.states, ...scope.districts].join(', ');
}
