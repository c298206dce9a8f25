import { Logger, type DynamicModule, type Type } from '@nestjs/common';
import { exitOnConfigError, loadConfig, type ServiceConfig, type ServiceName } from '../config/service-config';
import { MessageTransportModule } from '../infrastructure/message-transport.module';
import { createServiceApp, listenAndHandleSignals } from './create-service-app';

/** Startup failures (database down, bad schema) end the process with one clear line, not a stack dump. */
export function exitOnStartupError(what: string, error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${what} failed to start: ${message}\n`);
  process.exit(1);
}

/**
 * `npm run start:<service>`: one service per process against real PostgreSQL and Kafka
 * (DATABASE_URL and KAFKA_BROKERS required), serving its own /health/* and /metrics on PORT.
 */
export async function runStandaloneService(
  service: ServiceName,
  module: Type | DynamicModule,
  options: { openApi?: boolean } = {},
): Promise<void> {
  let config: ServiceConfig;
  try {
    config = loadConfig(process.env, { mode: 'standalone', service });
  } catch (e) {
    exitOnConfigError(e);
  }
  try {
    const app = await createServiceApp({
      config,
      modules: [module],
      infrastructure: [MessageTransportModule],
      openApi: options.openApi,
    });
    await listenAndHandleSignals(app, config);
    new Logger('Bootstrap').log(`${service} ready on http://${config.host}:${config.port}`);
  } catch (e) {
    exitOnStartupError(`the ${service} service`, e);
  }
}
