import { Inject, Injectable } from '@nestjs/common';
import { deterministicUuid, type Clock } from '@platform/core';
import { type EventStore, expectedVersion, loadStream, retryOnConcurrency, toNewEvents } from '@platform/event-store';
import { EVENT_STORE, eventMetadataFor, type AuthenticatedActor } from '@platform/service-kit';
import { customerStreamId } from '../../../customers/domain/customer.events';
import { CONCURRENT_UPDATE } from '../../../customers/infrastructure/customer-command-runner';
import { partnerUserStreamId } from '../../../partner-users/domain/partner-user.events';
import { PARTNER_USER_CONCURRENT_UPDATE } from '../../../partner-users/commands/pin-customer/pin-customer.handler';
import { CLOCK } from '../../../infrastructure/clock';
import {
  ACCESS_SESSION_TTL_MS,
  accessSessionExpiry,
  decideCustomerAccess,
  decideUserSessions,
  evolveCustomerAccess,
  evolveUserSessions,
  initialCustomerAccessState,
  initialUserSessionsState,
} from '../../domain/access-session.decider';
import { AccessTokenSigner } from '../../infrastructure/access-token-signer';
import { CUSTOMER_ENVIRONMENT_BASE_URL } from '../../infrastructure/access-sessions.tokens';

export interface OpenAccessSessionCommand {
  actor: AuthenticatedActor;
  customerId: string;
  /** Identifies the request across retries (Idempotency-Key, else request id): the session id derives from it. */
  requestKey: string;
}

export interface OpenedAccessSession {
  sessionId: string;
  token: string;
  expiresAt: string;
  environmentUrl: string;
  position?: bigint;
}

/**
 * F8: records the access on the customer's stream (refused unless the customer is the
 * partner's, active and partner-managed), then makes it the user's one open session on its
 * `partneruser-<userId>` stream (ending the others), then signs the token. Session and event
 * ids derive from the request, so a retry after a failure part-way completes the same session.
 */
@Injectable()
export class OpenAccessSessionHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly signer: AccessTokenSigner,
    @Inject(CUSTOMER_ENVIRONMENT_BASE_URL) private readonly environmentBaseUrl: string,
  ) {}

  async execute(command: OpenAccessSessionCommand): Promise<OpenedAccessSession> {
    const { actor, customerId } = command;
    const sessionId = deterministicUuid('AccessSession', actor.partnerId, actor.userId, customerId, command.requestKey);

    const recorded = await retryOnConcurrency(CONCURRENT_UPDATE, async () => {
      const stream = customerStreamId(customerId);
      const customer = await loadStream(this.store, stream, initialCustomerAccessState(), evolveCustomerAccess);
      const expiresAt = customer.state.sessions[sessionId]?.expiresAt ?? accessSessionExpiry(this.clock.now(), ACCESS_SESSION_TTL_MS);
      const decision = decideCustomerAccess(
        { type: 'OpenCustomerAccessSession', data: { partnerId: actor.partnerId, userId: actor.userId, sessionId, expiresAt } },
        customer.state,
      );
      if (!decision.ok) throw decision.error;
      if (decision.value.length === 0) return { expiresAt, position: undefined };
      const result = await this.store.append(
        stream,
        toNewEvents(decision.value, eventMetadataFor(actor, this.clock, { customerId }), () => deterministicUuid(sessionId, 'opened')),
        { expectedVersion: expectedVersion(customer.version) },
      );
      return { expiresAt, position: result.lastGlobalPosition };
    });

    const userPosition = await retryOnConcurrency(PARTNER_USER_CONCURRENT_UPDATE, async () => {
      const stream = partnerUserStreamId(actor.userId);
      const user = await loadStream(this.store, stream, initialUserSessionsState(), evolveUserSessions);
      const decision = decideUserSessions(
        { type: 'StartAccessSession', data: { sessionId, customerId, expiresAt: recorded.expiresAt, now: this.clock.now() } },
        user.state,
      );
      if (!decision.ok) throw decision.error;
      if (decision.value.length === 0) return undefined;
      const events = toNewEvents(decision.value, eventMetadataFor(actor, this.clock), (e) =>
        e.type === 'AccessSessionStarted'
          ? deterministicUuid(sessionId, 'started')
          : deterministicUuid(sessionId, 'ends', (e.data as { sessionId: string }).sessionId),
      );
      const result = await this.store.append(stream, events, { expectedVersion: expectedVersion(user.version) });
      return result.lastGlobalPosition;
    });

    return {
      sessionId,
      token: this.signer.sign({ userId: actor.userId, partnerId: actor.partnerId, customerId, sessionId, expiresAt: recorded.expiresAt }, ACCESS_SESSION_TTL_MS),
      expiresAt: recorded.expiresAt,
      environmentUrl: `${this.environmentBaseUrl}/customers/${customerId}`,
      position: userPosition ?? recorded.position,
    };
  }
}
