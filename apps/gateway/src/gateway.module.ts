import { Inject, Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import {
  IdempotencyMiddleware,
  IdempotencyModule,
  largeJsonBodyFor,
  OPENAPI_DOCUMENT_EXTENSION,
  RateLimitMiddleware,
  SERVICE_CONFIG,
  ServiceInfrastructureModule,
  type ServiceConfig,
} from '@platform/service-kit';
import { GatewayProxyMiddleware } from './proxy/gateway-proxy.middleware';
import { UpstreamOpenApi } from './proxy/upstream-openapi';

/**
 * The HTTP edge (API v1, OpenAPI at /docs). It keeps no event log: only its database
 * (idempotency keys live there), checked by readiness.
 */
export const gatewayInfrastructure = ServiceInfrastructureModule.forService({
  service: 'gateway',
  eventSourcing: false,
});

/** The gateway forwards to the services (CUSTOMERS_URL, …) when it runs alone; embedded, they are mounted next to it. */
function proxies(config: ServiceConfig): boolean {
  return config.mode === 'standalone' && config.customersUrl !== undefined;
}

@Module({
  imports: [gatewayInfrastructure, IdempotencyModule.register({ imports: [gatewayInfrastructure] })],
  providers: [
    // Telemetry batches (up to 1,000 records) are forwarded whole to the reporting service.
    largeJsonBodyFor('/api/v1/telemetry', '16mb'),
    {
      provide: OPENAPI_DOCUMENT_EXTENSION,
      useFactory: (config: ServiceConfig) => (proxies(config) ? new UpstreamOpenApi(config) : null),
      inject: [SERVICE_CONFIG],
    },
  ],
  exports: [gatewayInfrastructure],
})
export class GatewayModule implements NestModule {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {}

  configure(consumer: MiddlewareConsumer): void {
    // One chain, in this order, for every route of the application (in embedded mode the
    // gateway fronts every service): per-user rate limiting, then idempotency (replays count
    // against the limit), then, when running alone, the proxy to the services.
    const chain = proxies(this.config)
      ? [RateLimitMiddleware, IdempotencyMiddleware, GatewayProxyMiddleware]
      : [RateLimitMiddleware, IdempotencyMiddleware];
    consumer.apply(...chain).forRoutes('*path');
  }
}
