import { ConflictError } from '@platform/core';
import { ConcurrencyError, type EventMetadata, type EventStore, type NewEvent } from '@platform/event-store';
import { decide, foldApiKey, type ApiKeyCommand, type ApiKeyState } from '../domain/api-key.decider';
import { apiKeyStreamId, type ApiKeyEvent } from '../domain/api-key.events';

export interface LoadedApiKey {
  state: ApiKeyState;
  version: number;
}

/** Load, decide, append with the loaded version (the write path of both key commands). */
export class ApiKeyStore {
  constructor(private readonly store: EventStore) {}

  async load(keyId: string): Promise<LoadedApiKey> {
    const recorded = await this.store.readStream(apiKeyStreamId(keyId));
    return {
      state: foldApiKey(recorded as unknown as ApiKeyEvent[]),
      version: recorded.length === 0 ? 0 : recorded[recorded.length - 1].streamVersion,
    };
  }

  async run(keyId: string, command: ApiKeyCommand, metadata: EventMetadata, newId: () => string): Promise<ApiKeyEvent[]> {
    const { state, version } = await this.load(keyId);
    const decision = decide(command, state);
    if (!decision.ok) throw decision.error;
    if (decision.value.length === 0) return [];
    const events: NewEvent[] = decision.value.map((e) => ({ id: newId(), type: e.type, schemaVersion: 1, data: e.data, metadata }));
    try {
      await this.store.append(apiKeyStreamId(keyId), events, { expectedVersion: version === 0 ? 'no_stream' : version });
    } catch (e) {
      if (e instanceof ConcurrencyError) throw new ConflictError('API_KEY.CONCURRENT_UPDATE', 'The API key was changed at the same time: retry.');
      throw e;
    }
    return decision.value;
  }
}
