import { CodedError, type Result } from '@platform/core';

/**
 * Given/when/then for a decider (emmett's DeciderSpecification, framework-free):
 * `spec.given(events).when(command).then(expectedEvents)` or `.thenThrows(code)`.
 */
export interface DeciderUnderTest<C, E, S, G = E> {
  initialState: () => S;
  /** `G`: what the stream holds (a decider over a shared stream evolves more than it decides). */
  evolve: (state: S, event: G) => S;
  /** Expected failures come back as `err(...)` (the platform's Result). */
  decide: (command: C, state: S) => Result<E[], CodedError>;
}

export function deciderSpecification<C, E, S, G = E>(decider: DeciderUnderTest<C, E, S, G>) {
  return {
    given(events: G[]) {
      const state = () => events.reduce(decider.evolve, decider.initialState());
      return {
        when(command: C) {
          const run = (): E[] => {
            const decision = decider.decide(command, state());
            if (!decision.ok) throw decision.error;
            return decision.value;
          };
          return {
            then(expected: E[]): void {
              expect(run()).toEqual(expected);
            },
            thenNothingHappens(): void {
              expect(run()).toEqual([]);
            },
            thenThrows(code: string, errorClass: abstract new (...args: never[]) => CodedError = CodedError): CodedError {
              let thrown: unknown;
              try {
                run();
              } catch (e) {
                thrown = e;
              }
              expect(thrown).toBeInstanceOf(errorClass);
              expect((thrown as CodedError).code).toBe(code);
              return thrown as CodedError;
            },
          };
        },
      };
    },
  };
}
