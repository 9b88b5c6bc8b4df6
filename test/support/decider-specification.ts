/**
 * A small given/when/then for deciders: given past events, when a command, then new events or a
 * named refusal. Keeps each rule's test to a few lines.
 */
export interface Decider<Command, Event, State, Context> {
  decide(command: Command, state: State, context: Context): Event[];
  evolve(state: State, event: Event & { eventId: string; actorSub: string; occurredAt: string }): State;
  initialState(): State;
}

type Given<Event> = Event & { actorSub?: string; eventId?: string; occurredAt?: string };

/** Past events without an instant of their own are a minute apart, from this one on. */
const HISTORY_STARTS_AT = Date.parse('2024-04-19T06:00:00.000Z');
const minuteOfHistory = (index: number): string => new Date(HISTORY_STARTS_AT + index * 60_000).toISOString();

export function deciderSpecification<Command, Event, State, Context>(decider: Decider<Command, Event, State, Context>) {
  return {
    given(history: Array<Given<Event>>) {
      const state = history.reduce(
        (s, e, i) =>
          decider.evolve(s, {
            ...e,
            eventId: e.eventId ?? `event-${i}`,
            actorSub: e.actorSub ?? 'someone',
            occurredAt: e.occurredAt ?? minuteOfHistory(i),
          }),
        decider.initialState(),
      );
      return {
        state,
        when(command: Command, context: Context) {
          const run = () => decider.decide(command, state, context);
          return {
            then(expected: Event[]): void {
              expect(run()).toEqual(expected);
            },
            thenProduces(match: (events: Event[]) => void): void {
              match(run());
            },
            thenRefuses(code: string): void {
              let thrown: unknown;
              try {
                run();
              } catch (error) {
                thrown = error;
              }
              expect(thrown).toBeDefined();
              expect((thrown as { code?: string }).code).toBe(code);
            },
          };
        },
      };
    },
  };
}
