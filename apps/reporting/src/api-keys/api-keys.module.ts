import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { systemClock } from '@platform/core';
import type { EventStore } from '@platform/event-store';
import { EVENT_STORE, PG_POOL, ServiceProjections } from '@platform/service-kit';
import { reportingInfrastructure } from '../reporting-infrastructure';
import { CreateApiKeyHandler } from './commands/create-api-key/create-api-key.handler';
import { CreateApiKeyHttpController } from './commands/create-api-key/create-api-key.http.controller';
import { RevokeApiKeyHandler } from './commands/revoke-api-key/revoke-api-key.handler';
import { RevokeApiKeyHttpController } from './commands/revoke-api-key/revoke-api-key.http.controller';
import { ApiKeyAuthenticator } from './infrastructure/api-key-authenticator';
import { ApiKeyStore } from './infrastructure/api-key-store';
import { ApiKeyGuard } from './infrastructure/api-key.guard';
import { migrateApiKeys } from './infrastructure/api-keys.schema';
import { REPORTING_CLOCK } from './infrastructure/api-keys.tokens';
import { ApiKeysProjection } from './projections/api-keys.projection';
import { ListApiKeysHttpController } from './queries/list-api-keys/list-api-keys.http.controller';
import { ListApiKeysQuery } from './queries/list-api-keys/list-api-keys.query';

@Injectable()
class ApiKeysRegistration implements OnModuleInit {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly projections: ServiceProjections,
  ) {}

  async onModuleInit(): Promise<void> {
    await migrateApiKeys(this.pool);
    this.projections.add(new ApiKeysProjection());
  }
}

/** Per-partner API keys of product environments: create (once-shown secret), list, revoke; the X-Api-Key guard. */
@Module({
  imports: [reportingInfrastructure],
  controllers: [CreateApiKeyHttpController, ListApiKeysHttpController, RevokeApiKeyHttpController],
  providers: [
    ApiKeysRegistration,
    { provide: REPORTING_CLOCK, useValue: systemClock },
    { provide: ApiKeyStore, inject: [EVENT_STORE], useFactory: (store: EventStore) => new ApiKeyStore(store) },
    { provide: ApiKeyAuthenticator, inject: [EVENT_STORE], useFactory: (store: EventStore) => new ApiKeyAuthenticator(store) },
    { provide: ListApiKeysQuery, inject: [PG_POOL], useFactory: (pool: Pool) => new ListApiKeysQuery(pool) },
    ApiKeyGuard,
    CreateApiKeyHandler,
    RevokeApiKeyHandler,
  ],
  exports: [ApiKeyAuthenticator, ApiKeyGuard, REPORTING_CLOCK],
})
export class ApiKeysModule {}
