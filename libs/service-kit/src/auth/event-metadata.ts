import { uuidv7, type Clock } from '@platform/core';
import type { EventMetadata } from '@platform/event-store';
import { currentRequestContext } from '../context/request-context';
import type { AuthenticatedActor } from './jwt';

/**
 * Metadata for events a user's request causes: the partner, the domain time, the request's
 * correlation id, the request id as causation and the user as actor. Callers add `customerId`
 * (and anything else) through `extra`. Outside a request (scripts, tests) a fresh correlation id is used.
 */
export function eventMetadataFor(
  actor: AuthenticatedActor,
  clock: Clock,
  extra: Partial<EventMetadata> = {},
): EventMetadata {
  const context = currentRequestContext();
  return {
    partnerId: actor.partnerId,
    occurredAt: clock.now().toISOString(),
    correlationId: context?.correlationId ?? uuidv7(),
    ...(context ? { causationId: context.requestId } : {}),
    actor: { type: 'user', id: actor.userId },
    ...extra,
  };
}
