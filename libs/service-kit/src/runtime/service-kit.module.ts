import { DynamicModule, Global, Inject, MiddlewareConsumer, Module, NestModule, type OnModuleInit } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import type { DestinationStream, Logger as Pino } from 'pino';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import type { ServiceConfig } from '../config/service-config';
import { requestContextMiddleware } from '../context/request-context';
import { HealthController } from '../health/health.controller';
import { ReadinessRegistry } from '../health/readiness-registry';
import { ProblemDetailsFilter } from '../http/problem-details.filter';
import { createValidationPipe } from '../http/request-validation';
import { LoggingModule, requestLoggingMiddleware, ROOT_LOGGER } from '../logging/logging.module';
import { MetricsController } from '../metrics/metrics.controller';
import { MetricsService } from '../metrics/metrics.service';
import { registerProjectionMetrics } from '../metrics/projection-metrics';
import { ProjectionMonitor } from '../projections/projection-monitor';
import { SERVICE_CONFIG } from './tokens';

/**
 * What every process has once, whatever services it runs: configuration, JSON logs with
 * request context, problem+json errors, request validation, /health/* and /metrics.
 * Global, so each service module can register its readiness checks and projection statuses.
 */
@Global()
@Module({})
export class ServiceKitModule implements NestModule, OnModuleInit {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly metrics: MetricsService,
    private readonly monitor: ProjectionMonitor,
    @Inject(ROOT_LOGGER) private readonly logger: Pino,
  ) {}

  static forRoot(config: ServiceConfig, options: { logDestination?: DestinationStream } = {}): DynamicModule {
    return {
      module: ServiceKitModule,
      imports: [
        LoggingModule.forRoot({
          level: config.logLevel,
          base: { service: config.services.length === 1 ? config.services[0] : 'all' },
          destination: options.logDestination,
        }),
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        ReadinessRegistry,
        MetricsService,
        { provide: ProjectionMonitor, useFactory: () => new ProjectionMonitor() },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        // Guards run in this order: authentication first.
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
      exports: [SERVICE_CONFIG, ReadinessRegistry, MetricsService, ProjectionMonitor],
    };
  }

  onModuleInit(): void {
    this.monitor.configure({ stallMs: this.config.projectionStallMs });
    registerProjectionMetrics(this.metrics, this.monitor);
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(requestContextMiddleware, requestLoggingMiddleware(this.logger), this.metrics.httpMiddleware).forRoutes('*path');
  }
}
