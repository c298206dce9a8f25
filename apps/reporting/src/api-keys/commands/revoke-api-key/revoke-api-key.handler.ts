import { Inject, Injectable } from '@nestjs/common';
import { isUuid, NotFoundError, uuidv7, type Clock } from '@platform/core';
import { eventMetadataFor } from '@platform/service-kit';
import { API_KEY_NOT_FOUND } from '../../domain/api-key.decider';
import { ApiKeyStore } from '../../infrastructure/api-key-store';
import { REPORTING_CLOCK } from '../../infrastructure/api-keys.tokens';
import type { RevokeApiKeyCommand } from './revoke-api-key.command';

@Injectable()
export class RevokeApiKeyHandler {
  constructor(
    private readonly keys: ApiKeyStore,
    @Inject(REPORTING_CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: RevokeApiKeyCommand): Promise<void> {
    if (!isUuid(command.keyId)) throw new NotFoundError(API_KEY_NOT_FOUND, 'No such API key.');
    await this.keys.run(
      command.keyId.toLowerCase(),
      { type: 'RevokeApiKey', data: { partnerId: command.actor.partnerId } },
      eventMetadataFor(command.actor, this.clock),
      uuidv7,
    );
  }
}
