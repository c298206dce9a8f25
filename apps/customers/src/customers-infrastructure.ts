import { ServiceInfrastructureModule } from '@platform/service-kit';
import { customersRelayMapper } from './customers/infrastructure/customers-integration-mapper';

/**
 * The customers service's infrastructure (event store, projections, relay), in its own file so
 * feature modules can import the same instance without importing customers.module (no cycle).
 */
export const customersInfrastructure = ServiceInfrastructureModule.forService({
  service: 'customers',
  relay: { producer: 'customers', categories: ['customer'], map: customersRelayMapper.map },
});
