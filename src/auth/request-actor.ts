import type { Actor } from '../shared/actor';

// Kept beside the request rather than on it: no body parser, middleware or client-chosen
// property can ever put an actor where the guard's verified one is expected.
const actors = new WeakMap<object, Actor>();

/** Records the actor verified for this request; only the JWT guard calls it. */
export function attachActor(request: object, actor: Actor): void {
  actors.set(request, actor);
}

/** The verified actor of a request, or undefined on @Public() routes. */
export function actorOf(request: object): Actor | undefined {
  return actors.get(request);
}
