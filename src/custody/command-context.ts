import type { Actor } from '../shared/actor';

/** Who is acting, and when: everything a command's decide gets besides the command and the state. */
export interface CommandContext {
  actor: Actor;
  /** ISO-8601 UTC, from the injected clock. */
  now: string;
}

/** The shape of every command: its name and what the caller supplies. */
export type Cmd<T extends string, D> = { type: T; data: D };
