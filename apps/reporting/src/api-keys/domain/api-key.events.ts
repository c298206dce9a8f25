/**
 * Per-partner API keys for product environments (telemetry ingestion). Only a SHA-256 hash of
 * the secret is ever stored; the secret itself is shown once, when the key is created.
 */
export const API_KEY_CATEGORY = 'apikey';
export const apiKeyStreamId = (keyId: string): string => `${API_KEY_CATEGORY}-${keyId}`;

export interface ApiKeyCreated {
  type: 'ApiKeyCreated';
  data: { keyId: string; partnerId: string; name: string; keyHash: string; prefix: string };
}

export interface ApiKeyRevoked {
  type: 'ApiKeyRevoked';
  data: { keyId: string };
}

export type ApiKeyEvent = ApiKeyCreated | ApiKeyRevoked;
