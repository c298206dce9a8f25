import type { AuthenticatedActor } from '@platform/service-kit';

/** A global admin creates an API key for the partner's product environments. */
export interface CreateApiKeyCommand {
  actor: AuthenticatedActor;
  name: string;
}
