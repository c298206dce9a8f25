import { ConflictError, uuidv7 } from '@platform/core';
import { ConcurrencyError, type EventMetadata, type EventStore } from '@platform/event-store';
import { assertVersionMatches } from '@platform/service-kit';
import {
  decideProfile,
  evolveProfile,
  initialProfileState,
  profileNotFound,
  type ProfileCommand,
  type ProfileSpec,
  type ProfileState,
} from '../domain/profile-decider';

export interface ProfileOutcome<S> {
  profileId: string;
  state: ProfileState<S>;
  /** Stream version: the ETag. */
  version: number;
  position?: bigint;
}

/**
 * Load the profile's stream, fold, decide, append with the loaded version as expected version
 * (of two concurrent changes one wins, the other gets 409).
 */
export class ProfileCommandRunner<S extends object> {
  constructor(
    private readonly store: EventStore,
    private readonly spec: ProfileSpec<S>,
    private readonly category: string,
  ) {}

  streamId(profileId: string): string {
    return `${this.category}-${profileId}`;
  }

  async load(profileId: string): Promise<ProfileOutcome<S>> {
    const recorded = await this.store.readStream(this.streamId(profileId));
    const state = recorded.reduce<ProfileState<S>>((s, e) => evolveProfile(this.spec, s, e), initialProfileState<S>());
    return { profileId, state, version: recorded.length === 0 ? 0 : recorded[recorded.length - 1].streamVersion };
  }

  /** The partner's live profile, or 404. */
  async loadForPartner(partnerId: string, profileId: string): Promise<ProfileOutcome<S>> {
    const loaded = await this.load(profileId);
    if (loaded.state.status !== 'active' || loaded.state.partnerId !== partnerId) throw profileNotFound(this.spec);
    return loaded;
  }

  async run(profileId: string, command: ProfileCommand<S>, metadata: EventMetadata, ifMatch?: number): Promise<ProfileOutcome<S>> {
    const loaded = await this.load(profileId);
    if (loaded.state.status === 'active' && loaded.state.partnerId === metadata.partnerId) assertVersionMatches(ifMatch, loaded.version);
    const decision = decideProfile(this.spec, command, loaded.state);
    if (!decision.ok) throw decision.error;
    const events = decision.value;
    if (events.length === 0) return loaded;
    try {
      const result = await this.store.append(
        this.streamId(profileId),
        events.map((e) => ({ id: uuidv7(), type: e.type, schemaVersion: 1, data: e.data as Record<string, unknown>, metadata })),
        { expectedVersion: loaded.version === 0 ? 'no_stream' : loaded.version },
      );
      const state = events.reduce<ProfileState<S>>((s, e) => evolveProfile(this.spec, s, { ...e, metadata }), loaded.state);
      return { profileId, state, version: result.nextExpectedVersion, position: result.lastGlobalPosition };
    } catch (e) {
      if (e instanceof ConcurrencyError) {
        throw new ConflictError(`${this.spec.area}.CONCURRENT_UPDATE`, `The ${this.spec.noun} was changed by another request at the same time: reload it and retry.`);
      }
      throw e;
    }
  }
}
