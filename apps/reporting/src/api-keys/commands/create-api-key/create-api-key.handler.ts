import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { uuidv7, type Clock } from '@platform/core';
import { eventMetadataFor } from '@platform/service-kit';
import { formatApiKey, hashApiKey, keyPrefix } from '../../domain/api-key-secret';
import { ApiKeyStore } from '../../infrastructure/api-key-store';
import { REPORTING_CLOCK } from '../../infrastructure/api-keys.tokens';
import type { CreateApiKeyCommand } from './create-api-key.command';
import type { CreatedApiKeyDto } from './create-api-key.request';

@Injectable()
export class CreateApiKeyHandler {
  constructor(
    private readonly keys: ApiKeyStore,
    @Inject(REPORTING_CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: CreateApiKeyCommand): Promise<CreatedApiKeyDto> {
    const keyId = uuidv7();
    const key = formatApiKey(keyId, randomBytes(32));
    const metadata = eventMetadataFor(command.actor, this.clock);
    const data = { keyId, partnerId: command.actor.partnerId, name: command.name, keyHash: hashApiKey(key), prefix: keyPrefix(key) };
    const [created] = await this.keys.run(keyId, { type: 'CreateApiKey', data }, metadata, uuidv7);
    const name = created.type === 'ApiKeyCreated' ? created.data.name : command.name;
    return { id: keyId, name, prefix: data.prefix, createdAt: metadata.occurredAt, revokedAt: null, key };
  }
}
