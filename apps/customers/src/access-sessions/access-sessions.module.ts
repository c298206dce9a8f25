import { randomBytes } from 'node:crypto';
import { Module } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '@platform/service-kit';
import { customersInfrastructure } from '../customers-infrastructure';
import { clockProvider } from '../partner-users/infrastructure/clock';
import { OpenAccessSessionHandler } from './commands/open-access-session/open-access-session.handler';
import { OpenAccessSessionHttpController } from './commands/open-access-session/open-access-session.http.controller';
import { AccessTokenSigner } from './infrastructure/access-token-signer';
import { CUSTOMER_ENVIRONMENT_BASE_URL } from './infrastructure/access-sessions.tokens';

/** The product environments' address until they register their own (CUSTOMER_ENVIRONMENT_URL overrides it). */
const DEFAULT_ENVIRONMENT_BASE_URL = 'https://environment.example.com';

function signerFor(config: ServiceConfig): AccessTokenSigner {
  // Without AUTH_JWT_SECRET no partner route authenticates, so no session can be asked for: a
  // per-process key keeps start-up working without ever signing anything verifiable.
  return new AccessTokenSigner(config.authJwtSecret ?? randomBytes(32).toString('base64url'));
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
      useFactory: () => (process.env.CUSTOMER_ENVIRONMENT_URL ?? DEFAULT_ENVIRONMENT_BASE_URL).replace(/\/+$/, ''),
    },
    OpenAccessSessionHandler,
  ],
})
export class AccessSessionsModule {}
