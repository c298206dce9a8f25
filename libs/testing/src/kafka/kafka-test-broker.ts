import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

/**
 * A Kafka cluster for tests: librdkafka's mock cluster (tools/kafka-mock) in a child process,
 * or the real cluster named by KAFKA_BROKERS. The fault-injection methods only work on the mock.
 */
export interface KafkaTestBroker {
  kind: 'mock' | 'real';
  brokers: string[];
  /** Creates a topic (the mock answers no CreateTopics; on a real cluster kafkajs' admin is used). */
  createTopic(name: string, partitions: number, replicationFactor?: number): Promise<void>;
  /** Mock broker ids are 1..N. Down = disconnects clients and refuses new connections; no leader change. */
  brokerDown(brokerId: number): Promise<void>;
  brokerUp(brokerId: number): Promise<void>;
  /** Moves a partition's leader (the mock never elects a new one by itself). */
  setPartitionLeader(topic: string, partition: number, brokerId: number): Promise<void>;
  /** The next `errorCodes.length` requests of `apiKey` (0 = Produce, 1 = Fetch, …) fail with these Kafka error codes. */
  pushErrors(apiKey: number, errorCodes: number[]): Promise<void>;
  /** True when brokerDown/brokerUp/setPartitionLeader/pushErrors work (the mock, not a real cluster). */
  supportsFaultInjection: boolean;
  stop(): Promise<void>;
}

export class KafkaTestBrokerUnavailableError extends Error {}

const ROOT = resolve(__dirname, '../../../..');
const SOURCE = join(ROOT, 'tools/kafka-mock/kafka-mock.c');
const BINARY = join(ROOT, 'build/kafka-mock');
const HEADER = '/usr/include/librdkafka/rdkafka_mock.h';

let building: Promise<void> | undefined;

/** Compiles the helper once per source change; cached in build/ (gitignored). */
async function ensureMockBinary(): Promise<void> {
  if (existsSync(BINARY) && statSync(BINARY).mtimeMs >= statSync(SOURCE).mtimeMs) return;
  building ??= (async () => {
    mkdirSync(join(ROOT, 'build'), { recursive: true });
    // Compile to a temporary name and rename, so parallel jest workers never run a half-written file.
    const tmp = `${BINARY}.${process.pid}.tmp`;
    await promisify(execFile)('cc', ['-O2', '-o', tmp, SOURCE, '-lrdkafka']);
    await promisify(execFile)('mv', ['-f', tmp, BINARY]);
  })();
  await building;
}

/**
 * Is there a Kafka to test against? KAFKA_BROKERS, or librdkafka-dev for the mock. When there is
 * none, suites warn SKIPPED; with CI=true they fail instead (a silently skipped Kafka suite
 * would make CI green without testing anything).
 */
export function requireKafka(
  suite: string,
  probe: { env?: NodeJS.ProcessEnv; hasMockHeaders?: () => boolean } = {},
): boolean {
  const env = probe.env ?? process.env;
  const hasMockHeaders = probe.hasMockHeaders ?? (() => existsSync(HEADER));
  if (env.KAFKA_BROKERS || hasMockHeaders()) return true;
  const msg =
    `${suite}: no Kafka (set KAFKA_BROKERS, or install librdkafka-dev for the mock cluster: ` +
    'apt-get install -y librdkafka-dev)';
  if (env.CI === 'true') throw new Error(`${msg}; CI=true does not allow skipping it`);
  console.warn(`SKIPPED ${msg}`);
  return false;
}

/**
 * Tests that need fault injection call this: on a real cluster they say they skip.
 */
export function requireFaultInjection(broker: KafkaTestBroker, test: string): boolean {
  if (broker.supportsFaultInjection) return true;
  console.warn(`SKIPPED ${test}: fault injection is not supported on a real cluster (KAFKA_BROKERS is set)`);
  return false;
}

export async function startKafkaTestBroker(options: { brokerCount?: number } = {}): Promise<KafkaTestBroker> {
  const real = process.env.KAFKA_BROKERS;
  if (real) return realCluster(real.split(',').map((b) => b.trim()).filter(Boolean));
  if (!existsSync(HEADER)) {
    throw new KafkaTestBrokerUnavailableError(
      `librdkafka-dev is not installed (${HEADER} missing); call requireKafka() first`,
    );
  }
  await ensureMockBinary();
  return mockCluster(options.brokerCount ?? 3);
}

async function mockCluster(brokerCount: number): Promise<KafkaTestBroker> {
  const child: ChildProcessWithoutNullStreams = spawn(BINARY, [String(brokerCount)], { stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout });
  const pending: Array<(line: string) => void> = [];
  const buffered: string[] = [];
  let exited = false;
  lines.on('line', (line) => {
    const next = pending.shift();
    if (next) next(line);
    else buffered.push(line);
  });
  const exit = new Promise<void>((res) => child.once('exit', () => res()));
  child.once('exit', () => {
    exited = true;
    for (const p of pending.splice(0)) p(`ERR kafka-mock exited ${stderr.trim()}`);
  });
  const nextLine = () =>
    new Promise<string>((res) => {
      const b = buffered.shift();
      if (b !== undefined) return res(b);
      if (exited) return res(`ERR kafka-mock exited ${stderr.trim()}`);
      pending.push(res);
    });
  // Commands are answered in order, one line each; a queue keeps concurrent callers paired with their answer.
  let queue: Promise<unknown> = Promise.resolve();
  const command = (cmd: string): Promise<void> => {
    const run = queue.then(async () => {
      if (exited) throw new Error(`kafka-mock: '${cmd}': process has exited ${stderr.trim()}`);
      child.stdin.write(`${cmd}\n`);
      const answer = await nextLine();
      if (answer !== 'OK') throw new Error(`kafka-mock: '${cmd}': ${answer}`);
    });
    queue = run.catch(() => undefined);
    return run;
  };

  const ready = await nextLine();
  if (!ready.startsWith('READY ')) {
    child.kill();
    throw new Error(`kafka-mock did not start: ${ready} ${stderr}`);
  }
  const brokers = ready.slice('READY '.length).trim().split(',');
  return {
    kind: 'mock',
    brokers,
    supportsFaultInjection: true,
    createTopic: (name, partitions, replicationFactor = Math.min(3, brokerCount)) =>
      command(`topic ${name} ${partitions} ${replicationFactor}`),
    brokerDown: (id) => command(`down ${id}`),
    brokerUp: (id) => command(`up ${id}`),
    setPartitionLeader: (topic, partition, id) => command(`leader ${topic} ${partition} ${id}`),
    pushErrors: (apiKey, codes) => command(`errors ${apiKey} ${codes.length} ${codes.join(' ')}`),
    async stop() {
      if (!exited) child.stdin.end();
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(killer);
    },
  };
}

async function realCluster(brokers: string[]): Promise<KafkaTestBroker> {
  const unsupported = (what: string) => () =>
    Promise.reject(new Error(`${what} is not supported on a real cluster (KAFKA_BROKERS is set)`));
  const { Kafka, logLevel } = await import('kafkajs');
  const admin = new Kafka({ brokers, clientId: 'kafka-test-broker', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  return {
    kind: 'real',
    brokers,
    supportsFaultInjection: false,
    async createTopic(name, numPartitions, replicationFactor) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic: name, numPartitions, ...(replicationFactor ? { replicationFactor } : {}) }],
      });
    },
    brokerDown: unsupported('brokerDown'),
    brokerUp: unsupported('brokerUp'),
    setPartitionLeader: unsupported('setPartitionLeader'),
    pushErrors: unsupported('pushErrors'),
    stop: () => admin.disconnect(),
  };
}
