import type { Actor } from '../shared/actor';

/**
 * Who the retention worker acts as: the district election office's admin role (the data
 * fiduciary's officer, who may erase), national in scope, and named so that every automatic
 * erasure shows in the log as the system's, never as a person's.
 */
export const RETENTION_ACTOR: Readonly<Actor> = Object.freeze<Actor>({
  sub: 'system:retention',
  name: 'Retention worker',
  roles: ['admin'],
  unit: 'retention',
  agency: 'election_office',
  scope: { national: true },
});
