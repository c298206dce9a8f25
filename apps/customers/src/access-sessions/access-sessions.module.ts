import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import type { EventStore } from '@platform/event-store';
import { EVENT_STORE, SERVICE_CONFIG, ServiceProjections, type ServiceConfig } from '@platform/service-kit';
import { customersInfrastructure } from '../customers-infrastructure';
import { clockProvider } from '../infrastructure/clock';
import { OpenAccessSessionHandler } from './commands/open-access-session/open-access-session.handler';
import { OpenAccessSessionHttpController } from './commands/open-access-session/open-access-session.http.controller';
import { accessSessionCloserProjection } from './infrastructure/access-session-closer.projection';
import { AccessTokenSigner } from './infrastructure/access-token-signer';
import { CUSTOMER_ENVIRONMENT_BASE_URL } from './infrastructure/access-sessions.tokens';

function signerFor(config: ServiceConfig): AccessTokenSigner {
  // Without AUTH_JWT_SECRET no partner route authenticates, so no session can be asked for: a
  // per-process key keeps start-up working without ever signing anything verifiable.
  return new AccessTokenSigner(config.authJwtSecret ?? randomBytes(32).toString('base64url'));
}

/** Ends open sessions when a customer is closed to its partner (F3, F6). */
@Injectable()
class AccessSessionCloserRegistration implements OnModuleInit {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projections: ServiceProjections,
  ) {}

  onModuleInit(): void {
    this.projections.add(accessSessionCloserProjection(this.store));
  }
}

/** F8 delegated access to a customer's service environment. */
@Module({
  imports: [customersInfrastructure],
  controllers: [OpenAccessSessionHttpController],
  providers: [
    clockProvider,
    { provide: AccessTokenSigner, inject: [SERVICE_CONFIG], useFactory: signerFor },
    {
      provide: CUSTOMER_ENVIRONMENT_BASE_URL,
      inject: [SERVICE_CONFIG],
      useFactory: (config: ServiceConfig) => config.customerEnvironmentUrl.replace(/\/+$/, ''),
    },
    OpenAccessSessionHandler,
    AccessSessionCloserRegistration,
  ],
})
export class AccessSessionsModule {}
