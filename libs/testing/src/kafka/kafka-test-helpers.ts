import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';

/**
 * A kafkajs client tuned for tests: short connection and retry timeouts, so a fault-injection
 * test recovers in seconds. Quiet unless KAFKAJS_LOG=debug|info|warn|error.
 */
export function testKafkaClient(brokers: string[], overrides: Partial<KafkaConfig> = {}): Kafka {
  const level = process.env.KAFKAJS_LOG?.toUpperCase() as keyof typeof logLevel | undefined;
  return new Kafka({
    clientId: 'test',
    brokers,
    connectionTimeout: 1000,
    requestTimeout: 5000,
    retry: { initialRetryTime: 50, maxRetryTime: 1000, retries: 10 },
    logLevel: level && level in logLevel ? logLevel[level] : logLevel.NOTHING,
    ...overrides,
  });
}

/** Consumer settings for tests: quick joins and quick failure detection. */
export const TEST_CONSUMER_CONFIG = {
  sessionTimeout: 3000,
  rebalanceTimeout: 3000,
  heartbeatInterval: 300,
  maxWaitTimeInMs: 100,
  retry: { initialRetryTime: 50, maxRetryTime: 1000, retries: 10 },
} as const;

/** Polls `check` until it returns true; fails with `describe()` after `timeoutMs`. No timing is asserted. */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  describe: () => Promise<string> | string = () => 'condition',
  timeoutMs = 30_000,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms: ${await describe()}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
