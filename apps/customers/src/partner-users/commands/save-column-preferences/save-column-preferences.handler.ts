import { Inject, Injectable } from '@nestjs/common';
import { uuidv7, type Clock } from '@platform/core';
import { type EventStore, expectedVersion, loadStream, retryOnConcurrency, toNewEvents } from '@platform/event-store';
import { EVENT_STORE, eventMetadataFor, type AuthenticatedActor } from '@platform/service-kit';
import { decidePartnerUser, evolvePartnerUser, initialPartnerUserState } from '../../domain/partner-user.decider';
import { partnerUserStreamId } from '../../domain/partner-user.events';
import { CLOCK } from '../../../infrastructure/clock';
import { PARTNER_USER_CONCURRENT_UPDATE } from '../pin-customer/pin-customer.handler';

export interface SavedPreferences {
  columns: string[];
  savedAt: string | null;
  position?: bigint;
}

/** F9 column choice of the calling user, kept on its `partneruser-<userId>` stream. */
@Injectable()
export class SaveColumnPreferencesHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(actor: AuthenticatedActor, columns: string[]): Promise<SavedPreferences> {
    const streamId = partnerUserStreamId(actor.userId);
    return retryOnConcurrency(PARTNER_USER_CONCURRENT_UPDATE, async () => {
      const user = await loadStream(this.store, streamId, initialPartnerUserState(), evolvePartnerUser);
      const decision = decidePartnerUser({ type: 'SaveColumnPreferences', data: { columns } }, user.state);
      if (!decision.ok) throw decision.error;
      if (decision.value.length === 0) return { columns, savedAt: user.state.columnsSavedAt ?? null };
      const metadata = eventMetadataFor(actor, this.clock);
      const result = await this.store.append(
        streamId,
        toNewEvents(decision.value, metadata, () => uuidv7()),
        { expectedVersion: expectedVersion(user.version) },
      );
      return { columns, savedAt: metadata.occurredAt, position: result.lastGlobalPosition };
    });
  }
}
