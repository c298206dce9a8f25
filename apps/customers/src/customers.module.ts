import { Module } from '@nestjs/common';
import { CustomerListModule } from './customer-list/customer-list.module';
import { CustomersWriteModule } from './customers/customers-write.module';
import { customersInfrastructure } from './customers-infrastructure';
import { AccessSessionsModule } from './access-sessions/access-sessions.module';
import { PartnerUsersModule } from './partner-users/partner-users.module';
import { SettingTemplatesModule } from './setting-templates/setting-templates.module';
import { SupportTicketsModule } from './support-tickets/support-tickets.module';

// Defined in its own file (with the relay's mapper) so feature modules can import it without a cycle.
export { customersInfrastructure };

@Module({
  imports: [customersInfrastructure, CustomerListModule.register(customersInfrastructure), CustomersWriteModule, PartnerUsersModule, SettingTemplatesModule, SupportTicketsModule, AccessSessionsModule],
  exports: [customersInfrastructure],
})
export class CustomersModule {}
