import { randomBytes } from 'node:crypto';
import { Inject, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { systemClock, uuidv7Generator, type Clock, type IdGenerator } from '@platform/core';
import { ProtectedEventStore, type EventStore } from '@platform/event-store';
import { EVENT_STORE, PG_POOL, SERVICE_CONFIG, ServiceProjections, type ServiceConfig, publicBaseUrl } from '@platform/service-kit';
import type { Pool } from 'pg';
import { customersInfrastructure } from '../customers-infrastructure';
import { AcceptInvitationHandler } from './commands/accept-invitation/accept-invitation.handler';
import { AcceptInvitationHttpController } from './commands/accept-invitation/accept-invitation.http.controller';
import { ChangeLogoHandler } from './commands/change-logo/change-logo.handler';
import { ChangeLogoHttpController } from './commands/change-logo/change-logo.http.controller';
import { ChangeManagementModeHandler } from './commands/change-management-mode/change-management-mode.handler';
import { ChangeManagementModeHttpController } from './commands/change-management-mode/change-management-mode.http.controller';
import { ChangeTagsHandler } from './commands/change-tags/change-tags.handler';
import { ChangeTagsHttpController } from './commands/change-tags/change-tags.http.controller';
import { DisconnectCustomerHandler } from './commands/disconnect-customer/disconnect-customer.handler';
import { DisconnectCustomerHttpController } from './commands/disconnect-customer/disconnect-customer.http.controller';
import { EditCustomerHandler } from './commands/edit-customer/edit-customer.handler';
import { EditCustomerHttpController } from './commands/edit-customer/edit-customer.http.controller';
import { InviteCustomerHandler } from './commands/invite-customer/invite-customer.handler';
import { InviteCustomerHttpController } from './commands/invite-customer/invite-customer.http.controller';
import { ResendInvitationHandler } from './commands/resend-invitation/resend-invitation.handler';
import { ResendInvitationHttpController } from './commands/resend-invitation/resend-invitation.http.controller';
import { RevokeInvitationHandler } from './commands/revoke-invitation/revoke-invitation.handler';
import { RevokeInvitationHttpController } from './commands/revoke-invitation/revoke-invitation.http.controller';
import { CustomerCommandRunner } from './infrastructure/customer-command-runner';
import { customerDisconnectionProjection, type CustomerDataEraser } from './infrastructure/customer-disconnection.projection';
import { CustomerLogoStore } from './infrastructure/customer-logo.store';
import { customersRelayMapper } from './infrastructure/customers-integration-mapper';
import { CUSTOMERS_CLOCK, CUSTOMERS_IDS, CUSTOMER_DATA_ERASER } from './infrastructure/customers-write.tokens';
import { InvitationLinkSigner } from './infrastructure/invitation-link';

const logger = new Logger('customers.write');

/** Where invitation links point: this server's public address (the API serves the accept route). */
function createSigner(config: ServiceConfig): InvitationLinkSigner {
  let secret = config.authJwtSecret;
  if (!secret) {
    // Without a secret no partner route works either; links signed now die with the process.
    logger.warn('AUTH_JWT_SECRET is not set: invitation links are signed with a per-process key');
    secret = randomBytes(32).toString('base64url');
  }
  const signer = new InvitationLinkSigner(secret, publicBaseUrl(config));
  customersRelayMapper.bind(signer);
  return signer;
}

function createEraser(store: EventStore): CustomerDataEraser {
  return {
    shred: (customerId, tx) => {
      if (!(store instanceof ProtectedEventStore)) {
        // Never report personal data erased when it was not.
        return Promise.reject(new Error('the customers event store is not a ProtectedEventStore: cannot shred'));
      }
      return store.shred(customerId, tx);
    },
  };
}

/**
 * Customer write side (F1 invitations, F2 information and logo, F3 management mode, F5 tags,
 * F6 disconnection). Applying a setting template (F5) is the decider's `ApplySettingTemplate`
 * command, run per customer by the setting-templates module.
 */
@Module({
  imports: [customersInfrastructure],
  controllers: [
    InviteCustomerHttpController,
    ResendInvitationHttpController,
    RevokeInvitationHttpController,
    AcceptInvitationHttpController,
    EditCustomerHttpController,
    ChangeLogoHttpController,
    ChangeManagementModeHttpController,
    ChangeTagsHttpController,
    DisconnectCustomerHttpController,
  ],
  providers: [
    { provide: CUSTOMERS_CLOCK, useValue: systemClock },
    { provide: CUSTOMERS_IDS, useValue: uuidv7Generator },
    { provide: InvitationLinkSigner, inject: [SERVICE_CONFIG], useFactory: createSigner },
    { provide: CustomerLogoStore, inject: [PG_POOL], useFactory: (pool: Pool) => new CustomerLogoStore(pool) },
    { provide: CUSTOMER_DATA_ERASER, inject: [EVENT_STORE], useFactory: createEraser },
    {
      provide: CustomerCommandRunner,
      inject: [EVENT_STORE, CUSTOMERS_CLOCK, CUSTOMERS_IDS],
      useFactory: (store: EventStore, clock: Clock, ids: IdGenerator) => new CustomerCommandRunner(store, clock, ids),
    },
    InviteCustomerHandler,
    ResendInvitationHandler,
    RevokeInvitationHandler,
    AcceptInvitationHandler,
    EditCustomerHandler,
    ChangeLogoHandler,
    ChangeManagementModeHandler,
    ChangeTagsHandler,
    DisconnectCustomerHandler,
  ],
  exports: [CustomerCommandRunner, InvitationLinkSigner],
})
export class CustomersWriteModule implements OnModuleInit {
  constructor(
    private readonly logos: CustomerLogoStore,
    private readonly projections: ServiceProjections,
    @Inject(CUSTOMER_DATA_ERASER) private readonly eraser: CustomerDataEraser,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.logos.migrate();
    this.projections.add(customerDisconnectionProjection(this.logos, this.eraser));
  }
}
