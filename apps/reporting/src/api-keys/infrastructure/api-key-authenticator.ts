import type { EventStore } from '@platform/event-store';
import { foldApiKey } from '../domain/api-key.decider';
import { apiKeyMatches, keyIdOf } from '../domain/api-key-secret';
import { apiKeyStreamId, type ApiKeyEvent } from '../domain/api-key.events';

export interface ApiKeyPrincipal {
  keyId: string;
  partnerId: string;
}

/**
 * Checks a presented `X-Api-Key` against the key's own stream (read-your-writes: a key works as
 * soon as its creation is answered, and stops as soon as its revocation is).
 */
export class ApiKeyAuthenticator {
  constructor(private readonly store: EventStore) {}

  async authenticate(presented: string | undefined): Promise<ApiKeyPrincipal | undefined> {
    if (!presented) return undefined;
    const keyId = keyIdOf(presented);
    if (!keyId) return undefined;
    const state = foldApiKey((await this.store.readStream(apiKeyStreamId(keyId))) as unknown as ApiKeyEvent[]);
    if (state.status !== 'active' || !apiKeyMatches(presented, state.keyHash)) return undefined;
    return { keyId: state.keyId, partnerId: state.partnerId };
  }
}
