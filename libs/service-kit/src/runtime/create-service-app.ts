import { Logger as NestLogger, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { DestinationStream } from 'pino';
import type { ServiceConfig } from '../config/service-config';
import { PlatformLogger } from '../logging/logging.module';
import { setupOpenApi } from '../openapi/openapi';
import { ServiceKitModule } from './service-kit.module';

export interface ServiceAppOptions {
  config: ServiceConfig;
  /** The service modules this process runs (one, or all five in the embedded launcher). */
  modules: Array<Type | DynamicModule>;
  /** Modules every service module expects to find globally (database, transport, …). */
  infrastructure?: Array<Type | DynamicModule>;
  /** Serve OpenAPI at /docs (the gateway does). */
  openApi?: boolean;
  /** Where log lines go (default stdout). */
  logDestination?: DestinationStream;
}

class PlatformRootModule {}

/** A configured Nest application (not listening yet): service-kit + infrastructure + the given services. */
export async function createServiceApp(options: ServiceAppOptions): Promise<INestApplication> {
  const root: DynamicModule = {
    module: PlatformRootModule,
    imports: [ServiceKitModule.forRoot(options.config, { logDestination: options.logDestination }), ...(options.infrastructure ?? []), ...options.modules],
  };
  // rawBody: idempotency fingerprints and the gateway's proxy need the exact bytes of JSON bodies.
  const app = await NestFactory.create<NestExpressApplication>(root, { bufferLogs: true, abortOnError: false, rawBody: true });
  app.useLogger(app.get(PlatformLogger));
  app.flushLogs();
  app.disable('x-powered-by');
  // ETags are stream versions set by handlers (W/"<version>"); Express's body-hash tags would be mistaken for them.
  app.disable('etag');
  if (options.openApi) setupOpenApi(app);
  return app;
}

/**
 * Starts listening and wires SIGINT/SIGTERM to one graceful shutdown: Nest's shutdown hooks
 * stop runners and close pools, then `afterClose` (e.g. stopping embedded PostgreSQL) runs.
 */
export async function listenAndHandleSignals(
  app: INestApplication,
  config: ServiceConfig,
  afterClose: () => Promise<void> = async () => undefined,
): Promise<void> {
  await app.listen(config.port, config.host);
  const logger = new NestLogger('Shutdown');
  let closing: Promise<void> | undefined;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    logger.log(`${signal} received, shutting down`);
    closing = (async () => {
      let code = 0;
      try {
        await app.close();
      } catch (e) {
        code = 1;
        logger.error({ err: e }, 'error while closing the application');
      }
      try {
        await afterClose();
      } catch (e) {
        code = 1;
        logger.error({ err: e }, 'error while releasing infrastructure');
      }
      process.exit(code);
    })();
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
