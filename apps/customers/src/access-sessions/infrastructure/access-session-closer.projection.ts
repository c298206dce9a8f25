import { deterministicUuid } from '@platform/core';
import { type EventStore, type Projection, type RecordedEvent, expectedVersion, loadStream, retryOnConcurrency, toNewEvents } from '@platform/event-store';
import { customerStreamId } from '../../customers/domain/customer.events';
import { partnerUserStreamId } from '../../partner-users/domain/partner-user.events';
import {
  decideEndCustomerSessions,
  evolveCustomerAccess,
  evolveUserSessions,
  initialCustomerAccessState,
  initialUserSessionsState,
} from '../domain/access-session.decider';

export const ACCESS_SESSION_CLOSER = 'customers.access-session-closer';
const CONCURRENT_SESSION_UPDATE = 'ACCESS_SESSION.CONCURRENT_UPDATE';

/**
 * When a customer takes its tenant back (F3) or is disconnected (F6), the partner users' open
 * access sessions (F8) on it end: an `AccessSessionEnded` on each user's stream, so the user's
 * history and the product environment see the session closed before its token runs out.
 * Appends go through the event store (its own connections), so they run before the checkpoint
 * moves; the ended event's id derives from the session, so a replay after a crash adds nothing.
 */
export function accessSessionCloserProjection(store: EventStore): Projection {
  return {
    name: ACCESS_SESSION_CLOSER,
    filter: { categories: ['customer'], eventTypes: ['ManagementModeChanged', 'CustomerDisconnected'] },
    batchSize: 50,
    handle: async () => undefined, // nothing to write in the checkpoint's transaction
    async beforeCheckpoint(events: RecordedEvent[]): Promise<void> {
      for (const event of events) await closeSessionsAfter(store, event);
    },
  };
}

async function closeSessionsAfter(store: EventStore, event: RecordedEvent): Promise<void> {
  const customerId = event.metadata.customerId;
  if (!customerId) return;
  const reason = event.type === 'CustomerDisconnected' ? 'customer-disconnected' : 'customer-managed';
  const now = new Date(event.metadata.occurredAt);
  // Every user who ever opened this customer's environment (the customer stream records each access).
  const customer = await loadStream(store, customerStreamId(customerId), initialCustomerAccessState(), evolveCustomerAccess);
  const users = new Set(Object.values(customer.state.sessions).map((s) => s.userId));
  for (const userId of users) {
    await retryOnConcurrency(CONCURRENT_SESSION_UPDATE, async () => {
      const stream = partnerUserStreamId(userId);
      const user = await loadStream(store, stream, initialUserSessionsState(), evolveUserSessions);
      const ended = decideEndCustomerSessions({ type: 'EndCustomerAccessSessions', data: { customerId, reason, now } }, user.state);
      if (ended.length === 0) return;
      const metadata = {
        partnerId: event.metadata.partnerId,
        customerId,
        occurredAt: event.metadata.occurredAt,
        correlationId: event.metadata.correlationId,
        causationId: event.id,
        actor: { type: 'system' as const, id: ACCESS_SESSION_CLOSER },
      };
      await store.append(
        stream,
        toNewEvents(ended, metadata, (e) => deterministicUuid('AccessSessionEnded', (e.data as { sessionId: string }).sessionId)),
        { expectedVersion: expectedVersion(user.version) },
      );
    });
  }
}
