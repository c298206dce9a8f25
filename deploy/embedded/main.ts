import { Logger } from '@nestjs/common';
import {
  DEMO_ADMIN_USER_ID,
  DEMO_PARTNER_ID,
  exitOnConfigError,
  exitOnStartupError,
  signJwt,
  type ServiceConfig,
} from '@platform/service-kit';
import { seedEmbeddedDemoData } from '../../apps/customers/src/demo-data/demo-data.seeder';
import { startEmbeddedSystem, type EmbeddedSystem } from './embedded-system';

/**
 * `npm start`: the whole platform in one process on a machine with nothing installed.
 * SIGINT/SIGTERM shut it down gracefully so ./data stays consistent for the next start.
 */
async function main(): Promise<void> {
  let system: EmbeddedSystem;
  try {
    system = await startEmbeddedSystem(process.env);
  } catch (e) {
    exitOnConfigError(e);
    exitOnStartupError('the platform', e);
  }
  const logger = new Logger('Embedded');
  // Demo customers for the demo partner on a fresh data folder (DEMO_DATA=off to skip).
  if (process.env.DEMO_DATA?.trim() !== 'off') {
    await seedEmbeddedDemoData(system.app).catch((e: unknown) => logger.error({ err: e }, 'demo data seeding failed'));
  }
  const { config } = system;
  logger.log(
    {
      database: system.database ? `embedded PGlite in ${config.dataDir}/pg` : 'DATABASE_URL',
      transport: config.kafka ? `Kafka ${config.kafka.brokers.join(',')}` : 'in-process',
    },
    'all services started',
  );
  const where = publicUrl(config);
  process.stdout.write(`ready on ${where}, docs at ${where}/docs (health: /health/ready, metrics: /metrics)\n`);
  if (!process.env.AUTH_JWT_SECRET?.trim()) printDemoToken(config);

  let closing = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal} received, shutting down`);
    try {
      await system.stop();
      process.exit(0);
    } catch (e) {
      logger.error({ err: e }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGINT', (s) => void shutdown(s));
  process.once('SIGTERM', (s) => void shutdown(s));
}

const DEMO_TOKEN_TTL_SECONDS = 7 * 24 * 3600;

/** Without a configured secret this is a demo: hand out a token for the demo partner's admin right away. */
function printDemoToken(config: ServiceConfig): void {
  const token = signJwt(
    { sub: DEMO_ADMIN_USER_ID, pid: DEMO_PARTNER_ID, roles: ['global-admin'] },
    config.authJwtSecret!,
    DEMO_TOKEN_TTL_SECONDS,
  );
  process.stdout.write(
    `demo global-admin token for partner ${DEMO_PARTNER_ID} (valid 7 days; more with npm run token -- --partner <id> --role <role>):\n` +
      `  Authorization: Bearer ${token}\n`,
  );
}

function publicUrl(config: ServiceConfig): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return `http://${host}:${config.port}`;
}

void main();
