import type { AuthenticatedActor } from '@platform/service-kit';

/** A global admin revokes one of the partner's API keys; it stops working at once. */
export interface RevokeApiKeyCommand {
  actor: AuthenticatedActor;
  keyId: string;
}
