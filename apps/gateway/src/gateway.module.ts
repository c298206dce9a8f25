import { Module } from '@nestjs/common';
import { ServiceInfrastructureModule } from '@platform/service-kit';

/**
 * The HTTP edge (API v1, OpenAPI at /docs). It keeps no event log: only its database
 * (idempotency keys live there), checked by readiness.
 */
export const gatewayInfrastructure = ServiceInfrastructureModule.forService({
  service: 'gateway',
  eventSourcing: false,
});

@Module({
  imports: [gatewayInfrastructure],
  exports: [gatewayInfrastructure],
})
export class GatewayModule {}
