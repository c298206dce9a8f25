import { Logger } from '@nestjs/common';
import { exitOnConfigError, exitOnStartupError, type ServiceConfig } from '@platform/service-kit';
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

function publicUrl(config: ServiceConfig): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return `http://${host}:${config.port}`;
}

void main();
