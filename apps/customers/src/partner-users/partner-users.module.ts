import { Module } from '@nestjs/common';
import { customersInfrastructure } from '../customers-infrastructure';
import { PinCustomerHandler } from './commands/pin-customer/pin-customer.handler';
import { PinCustomerHttpController } from './commands/pin-customer/pin-customer.http.controller';
import { SaveColumnPreferencesHandler } from './commands/save-column-preferences/save-column-preferences.handler';
import { SaveColumnPreferencesHttpController } from './commands/save-column-preferences/save-column-preferences.http.controller';
import { clockProvider } from '../infrastructure/clock';

/** F4 pins and F9 column preferences (write side) on `partneruser-<userId>` streams; H4's list reads them. */
@Module({
  imports: [customersInfrastructure],
  controllers: [PinCustomerHttpController, SaveColumnPreferencesHttpController],
  providers: [clockProvider, PinCustomerHandler, SaveColumnPreferencesHandler],
})
export class PartnerUsersModule {}
