import { ConfigValidationError, loadConfig, SERVICE_NAMES } from './service-config';

const standalone = { mode: 'standalone' as const, service: 'customers' as const };
const embedded = { mode: 'embedded' as const };
const infra = { DATABASE_URL: 'postgresql://u:p@db:5432/customers', KAFKA_BROKERS: 'kafka:9092', AUTH_JWT_SECRET: 's'.repeat(32) };

function problemsOf(env: Record<string, string>, options: Parameters<typeof loadConfig>[1] = embedded): string[] {
  try {
    loadConfig(env, options);
  } catch (e) {
    if (e instanceof ConfigValidationError) return e.problems;
    throw e;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('loadConfig', () => {
  it('gives defaults for an empty environment in embedded mode', () => {
    const c = loadConfig({}, embedded);
    expect(c).toMatchObject({
      mode: 'embedded',
      port: 3000,
      host: '0.0.0.0',
      dataDir: './data',
      logLevel: 'info',
      databaseUrl: undefined,
      kafka: undefined,
      eventStoreConnectionString: undefined,
    });
    expect(c.services).toEqual([...SERVICE_NAMES]);
  });

  it('reads every variable into typed values', () => {
    const c = loadConfig(
      {
        ...infra,
        PORT: '8081',
        KAFKA_BROKERS: ' kafka-1:9092, kafka-2:9093 ,',
        KAFKA_CLIENT_ID: 'customers-1',
        EVENTSTORE_CONNECTION_STRING: 'esdb://eventstore:2113?tls=false',
        DATA_DIR: '/var/lib/platform',
        LOG_LEVEL: 'DEBUG',
        AUTH_JWT_SECRET: 'x'.repeat(32),
        SERVICE: 'customers',
      },
      standalone,
    );
    expect(c).toMatchObject({
      services: ['customers'],
      port: 8081,
      databaseUrl: infra.DATABASE_URL,
      kafka: { brokers: ['kafka-1:9092', 'kafka-2:9093'], clientId: 'customers-1' },
      eventStoreConnectionString: 'esdb://eventstore:2113?tls=false',
      dataDir: '/var/lib/platform',
      logLevel: 'debug',
      authJwtSecret: 'x'.repeat(32),
    });
  });

  it('names the Kafka client after the service by default', () => {
    expect(loadConfig(infra, standalone).kafka?.clientId).toBe('platform-customers');
    expect(loadConfig({ KAFKA_BROKERS: 'localhost:9092' }, embedded).kafka?.clientId).toBe('platform-embedded');
  });

  it.each(['abc', '0', '65536', '80.5', '-1', '1e3'])('rejects PORT=%s', (port) => {
    expect(problemsOf({ PORT: port })).toEqual([`PORT must be an integer 1–65535, got "${port}"`]);
  });

  it('lists every bad variable at once, with the reason', () => {
    const problems = problemsOf({
      PORT: 'abc',
      DATABASE_URL: 'mysql://db/x',
      KAFKA_BROKERS: 'kafka,broker:99999',
      EVENTSTORE_CONNECTION_STRING: 'http://eventstore:2113',
      LOG_LEVEL: 'verbose',
      AUTH_JWT_SECRET: 'short',
      KAFKA_CLIENT_ID: 'has space',
    });
    expect(problems).toEqual([
      'PORT must be an integer 1–65535, got "abc"',
      'DATABASE_URL must be a postgres:// or postgresql:// URL, got scheme "mysql:"',
      'KAFKA_CLIENT_ID must be 1–249 characters of letters, digits, ".", "_" or "-", got "has space"',
      'KAFKA_BROKERS must be a comma-separated list of host:port: "kafka" is not host:port; "broker:99999" has a port outside 1–65535',
      'EVENTSTORE_CONNECTION_STRING must start with esdb:// or esdb+discover:// followed by a host',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"',
      'AUTH_JWT_SECRET must be at least 32 characters, got 5',
    ]);
  });

  it('puts every problem in the message, one per line', () => {
    try {
      loadConfig({ PORT: 'abc', LOG_LEVEL: 'loud' }, embedded);
      throw new Error('not rejected');
    } catch (e) {
      expect((e as Error).message).toBe(
        'Invalid configuration:\n  - PORT must be an integer 1–65535, got "abc"\n  - LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
      );
    }
  });

  it('never echoes a database URL that may hold a password', () => {
    const [problem] = problemsOf({ DATABASE_URL: 'not a url with secret-password' });
    expect(problem).not.toContain('secret-password');
    const [scheme] = problemsOf({ DATABASE_URL: 'http://user:secret-password@db/x' });
    expect(scheme).not.toContain('secret-password');
  });

  it('requires DATABASE_URL, KAFKA_BROKERS and AUTH_JWT_SECRET when a service runs alone (every service serves part of the API)', () => {
    expect(problemsOf({}, standalone)).toEqual([
      'DATABASE_URL is required when the customers service runs alone (e.g. postgresql://user:pass@host:5432/db)',
      'KAFKA_BROKERS is required when the customers service runs alone (e.g. kafka:9092)',
      'AUTH_JWT_SECRET is required when the customers service runs alone (at least 32 characters, e.g. openssl rand -base64 48)',
    ]);
    const { AUTH_JWT_SECRET: _omitted, ...withoutSecret } = infra;
    expect(problemsOf(withoutSecret, { mode: 'standalone', service: 'reporting' })).toEqual([
      'AUTH_JWT_SECRET is required when the reporting service runs alone (at least 32 characters, e.g. openssl rand -base64 48)',
    ]);
  });

  it('reads where links and access sessions point, and validates both', () => {
    expect(loadConfig({}, embedded)).toMatchObject({ publicBaseUrl: undefined, customerEnvironmentUrl: 'https://environment.example.com' });
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://console.example.com', CUSTOMER_ENVIRONMENT_URL: 'https://env.example.net' }, embedded)).toMatchObject({
      publicBaseUrl: 'https://console.example.com',
      customerEnvironmentUrl: 'https://env.example.net',
    });
    expect(problemsOf({ PUBLIC_BASE_URL: 'console', CUSTOMER_ENVIRONMENT_URL: 'ftp://x' })).toEqual([
      'PUBLIC_BASE_URL must be an http:// or https:// URL without credentials, got "not a URL"',
      'CUSTOMER_ENVIRONMENT_URL must be an http:// or https:// URL without credentials, got "ftp://x"',
    ]);
  });

  it('requires CUSTOMERS_URL for a gateway running alone and validates it', () => {
    const gateway = { mode: 'standalone' as const, service: 'gateway' as const };
    expect(problemsOf(infra, gateway)).toEqual(['CUSTOMERS_URL is required when the gateway runs alone (e.g. http://customers:3000)']);
    expect(loadConfig({ ...infra, CUSTOMERS_URL: 'http://customers:3000/' }, gateway).customersUrl).toBe('http://customers:3000');
    expect(problemsOf({ CUSTOMERS_URL: 'ftp://x' })).toEqual([
      'CUSTOMERS_URL must be an http:// or https:// URL without credentials, got "ftp://x"',
    ]);
    const [withCredentials] = problemsOf({ CUSTOMERS_URL: 'http://user:hunter2@customers' });
    expect(withCredentials).not.toContain('hunter2');
  });

  it('reads rate limits, 0 turning them off, and rejects nonsense', () => {
    expect(loadConfig({}, embedded)).toMatchObject({ rateLimitPerMinute: 1200, rateLimitBurst: 300 });
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_BURST: '5' }, embedded)).toMatchObject({
      rateLimitPerMinute: 0,
      rateLimitBurst: 5,
    });
    expect(problemsOf({ RATE_LIMIT_PER_MINUTE: 'lots', RATE_LIMIT_BURST: '0' })).toEqual([
      'RATE_LIMIT_PER_MINUTE must be an integer 0–100000000, got "lots"',
      'RATE_LIMIT_BURST must be an integer 1–100000000, got "0"',
    ]);
  });

  it('treats blank values as unset', () => {
    const c = loadConfig({ PORT: ' ', DATABASE_URL: '', KAFKA_BROKERS: '  ' }, embedded);
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.kafka).toBeUndefined();
  });

  it('refuses a SERVICE that is not the one the process runs', () => {
    expect(problemsOf({ ...infra, SERVICE: 'reporting' }, standalone)).toEqual([
      'SERVICE is "reporting" but this process runs the customers service; unset it or set it to "customers"',
    ]);
    expect(problemsOf({ SERVICE: 'customers' }, embedded)[0]).toMatch(/^SERVICE must be "all" or unset/);
    expect(loadConfig({ SERVICE: 'all' }, embedded).services).toHaveLength(5);
  });

  it('decodes a 32-byte base64 master key and refuses anything else without echoing it', () => {
    const key = Buffer.alloc(32, 7);
    expect(loadConfig({ DATA_KEY_MASTER_KEY: key.toString('base64') }, embedded).dataKeyMasterKey).toEqual(key);
    expect(problemsOf({ DATA_KEY_MASTER_KEY: Buffer.alloc(16).toString('base64') })).toEqual([
      'DATA_KEY_MASTER_KEY must be 32 bytes in base64 (openssl rand -base64 32)',
    ]);
  });

  it('sizes database pools for the mode', () => {
    expect(loadConfig({}, embedded).databasePoolMax).toBe(4);
    expect(loadConfig(infra, standalone).databasePoolMax).toBe(10);
    expect(loadConfig({ ...infra, DATABASE_POOL_MAX: '25' }, standalone).databasePoolMax).toBe(25);
  });

  it('accepts bracketed IPv6 brokers', () => {
    expect(loadConfig({ KAFKA_BROKERS: '[::1]:9092' }, embedded).kafka?.brokers).toEqual(['[::1]:9092']);
  });
});
