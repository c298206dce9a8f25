import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { CustomersModule } from '../../apps/customers/src/customers.module';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { NotificationsModule } from '../../apps/notifications/src/notifications.module';
import { ReportingModule } from '../../apps/reporting/src/reporting.module';
import { SubscriptionsModule } from '../../apps/subscriptions/src/subscriptions.module';
import {
  createServiceApp,
  loadConfig,
  loadOrCreateEmbeddedJwtSecret,
  MessageTransportModule,
  type ServiceConfig,
} from '@platform/service-kit';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@platform/embedded-postgres';

export interface EmbeddedSystem {
  app: INestApplication;
  config: ServiceConfig;
  /** Where the HTTP server listens (http://127.0.0.1:<port>). */
  url: string;
  /** The embedded PostgreSQL, when DATABASE_URL was not given. */
  database?: EmbeddedPostgres;
  /** Stops runners and consumers, closes pools, then stops PGlite (its data directory stays consistent). */
  stop(): Promise<void>;
}

export interface EmbeddedSystemOptions {
  logDestination?: DestinationStream;
}

/**
 * Everything in one process: PGlite under `${DATA_DIR}/pg` unless DATABASE_URL is set, the
 * in-process transport unless KAFKA_BROKERS is set, all five services' modules behind one HTTP
 * server on PORT with /health/*, /metrics and /docs. The only place that composes several apps.
 */
export async function startEmbeddedSystem(
  env: Record<string, string | undefined>,
  options: EmbeddedSystemOptions = {},
): Promise<EmbeddedSystem> {
  const given = loadConfig(env, { mode: 'embedded' });
  const database = given.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({ dataDir: join(resolve(given.dataDir), 'pg') });
  // Without AUTH_JWT_SECRET the data folder keeps a generated one, so printed tokens survive restarts.
  const authJwtSecret = given.authJwtSecret ?? loadOrCreateEmbeddedJwtSecret(resolve(given.dataDir)).secret;
  const config: ServiceConfig = {
    ...given,
    databaseUrl: given.databaseUrl ?? database?.connectionString,
    embeddedDatabase: database !== undefined,
    authJwtSecret,
  };

  let app: INestApplication | undefined;
  try {
    app = await createServiceApp({
      config,
      infrastructure: [MessageTransportModule],
      modules: [GatewayModule, CustomersModule, SubscriptionsModule, ReportingModule, NotificationsModule],
      openApi: true,
      logDestination: options.logDestination,
    });
    await app.listen(config.port, config.host);
  } catch (e) {
    await app?.close().catch(() => undefined);
    await database?.stop().catch(() => undefined);
    throw e;
  }
  const address = app.getHttpServer().address() as { port: number };
  const running = app;
  let stopping: Promise<void> | undefined;
  return {
    app: running,
    config,
    url: `http://127.0.0.1:${address.port}`,
    database,
    stop() {
      stopping ??= (async () => {
        try {
          await running.close();
        } finally {
          await database?.stop();
        }
      })();
      return stopping;
    },
  };
}
