import { ConflictError, err, NotFoundError, ok, ValidationError, type CodedError, type Result } from '@platform/core';
import type { ApiKeyEvent } from './api-key.events';

export const API_KEY_NAME_MAX = 100;

export type ApiKeyState =
  | { status: 'none' }
  | { status: 'active' | 'revoked'; keyId: string; partnerId: string; name: string; keyHash: string; prefix: string };

export const initialApiKeyState: ApiKeyState = { status: 'none' };

export type ApiKeyCommand =
  | { type: 'CreateApiKey'; data: { keyId: string; partnerId: string; name: string; keyHash: string; prefix: string } }
  | { type: 'RevokeApiKey'; data: { partnerId: string } };

export const API_KEY_NOT_FOUND = 'API_KEY.NOT_FOUND';
export const API_KEY_EXISTS = 'API_KEY.ALREADY_EXISTS';

export function evolve(state: ApiKeyState, event: ApiKeyEvent): ApiKeyState {
  switch (event.type) {
    case 'ApiKeyCreated':
      return { status: 'active', ...event.data };
    case 'ApiKeyRevoked':
      return state.status === 'none' ? state : { ...state, status: 'revoked' };
  }
}

export const foldApiKey = (events: readonly ApiKeyEvent[]): ApiKeyState => events.reduce(evolve, initialApiKeyState);

/**
 * Creating needs a fresh id and a name; revoking needs the key to be the caller's partner's
 * (anyone else's key is answered as unknown) and is idempotent: revoking twice changes nothing.
 */
export function decide(command: ApiKeyCommand, state: ApiKeyState): Result<ApiKeyEvent[], CodedError> {
  switch (command.type) {
    case 'CreateApiKey': {
      if (state.status !== 'none') return err(new ConflictError(API_KEY_EXISTS, 'An API key with this id exists already.'));
      const name = command.data.name.trim();
      if (name.length === 0 || name.length > API_KEY_NAME_MAX) {
        return err(new ValidationError('Invalid API key', [{ field: 'name', message: `name must be 1–${API_KEY_NAME_MAX} characters` }]));
      }
      return ok([{ type: 'ApiKeyCreated', data: { ...command.data, name } }]);
    }
    case 'RevokeApiKey': {
      if (state.status === 'none' || state.partnerId !== command.data.partnerId) {
        return err(new NotFoundError(API_KEY_NOT_FOUND, 'No such API key.'));
      }
      if (state.status === 'revoked') return ok([]);
      return ok([{ type: 'ApiKeyRevoked', data: { keyId: state.keyId } }]);
    }
  }
}
