import { Module } from '@nestjs/common';
import { ServiceInfrastructureModule } from '@platform/service-kit';

/** Customers write side (F1–F8): its event store, and the relay announcing `customer-*` events on customers.events.v1. */
export const customersInfrastructure = ServiceInfrastructureModule.forService({
  service: 'customers',
  relay: { producer: 'customers', categories: ['customer'] },
});

@Module({
  imports: [customersInfrastructure],
  exports: [customersInfrastructure],
})
export class CustomersModule {}
