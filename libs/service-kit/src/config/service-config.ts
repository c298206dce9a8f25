/**
 * One typed configuration per process, read from the environment once at start. Every bad
 * variable is reported together, so a misconfigured deployment is fixed in one round.
 */

export const SERVICE_NAMES = ['gateway', 'customers', 'subscriptions', 'reporting', 'notifications'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * `standalone`: one service per process next to real PostgreSQL and Kafka (DATABASE_URL and
 * KAFKA_BROKERS are required). `embedded`: every service in one process; missing infrastructure
 * is replaced by embedded PGlite and the in-process transport.
 */
export type RuntimeMode = 'standalone' | 'embedded';

export interface KafkaConfig {
  brokers: string[];
  clientId: string;
}

export interface ServiceConfig {
  mode: RuntimeMode;
  /** The services this process runs. */
  services: ServiceName[];
  host: string;
  port: number;
  databaseUrl?: string;
  /**
   * The database is this process's PGlite: nobody else uses it (its data directory is locked),
   * so wake-ups within the process are complete and waits for new events or messages need not
   * poll; and it runs one transaction at a time.
   */
  embeddedDatabase?: boolean;
  databasePoolMax: number;
  kafka?: KafkaConfig;
  /** When set, the event log lives in EventStoreDB instead of PostgreSQL. */
  eventStoreConnectionString?: string;
  dataDir: string;
  logLevel: LogLevel;
  authJwtSecret?: string;
  /** 32-byte key wrapping the per-customer data keys at rest (DATA_KEY_MASTER_KEY, base64). */
  dataKeyMasterKey?: Buffer;
  /** A projection whose lag has not shrunk for this long while events are waiting is reported stuck. */
  projectionStallMs: number;
  /** Sustained requests per minute per user (per IP when anonymous); 0 turns rate limiting off. */
  rateLimitPerMinute: number;
  /** Requests a user may make at once above the sustained rate (token bucket capacity). */
  rateLimitBurst: number;
  /**
   * The address clients reach the API at (PUBLIC_BASE_URL, e.g. https://console.example.com):
   * links sent to people (invitations, address verification) point there. Default: this server's own address.
   */
  publicBaseUrl?: string;
  /** The product environments' base address that access sessions (F8) open (CUSTOMER_ENVIRONMENT_URL). */
  customerEnvironmentUrl: string;
  /** Where the gateway forwards the customers service's routes when it runs alone (CUSTOMERS_URL). */
  customersUrl?: string;
  /** Where the gateway forwards the subscriptions service's routes when it runs alone (SUBSCRIPTIONS_URL, optional). */
  subscriptionsUrl?: string;
  /** Where the gateway forwards the reporting service's routes when it runs alone (REPORTING_URL, optional). */
  reportingUrl?: string;
  /** Where the gateway forwards the notifications service's routes when it runs alone (NOTIFICATIONS_URL, optional). */
  notificationsUrl?: string;
  /** Where the notifications service sends email (SMTP_URL, smtp:// or smtps://); embedded mode without it runs a local mail catcher. */
  smtpUrl?: string;
  /** Sender address of every email (MAIL_FROM); the notifications service has a default. */
  mailFrom?: string;
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

export interface LoadConfigOptions {
  mode: RuntimeMode;
  /** The service a standalone process runs (fixed by its main.ts); absent in embedded mode. */
  service?: ServiceName;
}

type Env = Record<string, string | undefined>;

const HOSTNAME_RE = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const CLIENT_ID_RE = /^[A-Za-z0-9._-]{1,249}$/;
const MIN_JWT_SECRET_LENGTH = 32;

function blankToUndefined(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}

function parseInteger(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const v = blankToUndefined(raw);
  if (v === undefined) return fallback;
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    problems.push(`${name} must be an integer ${min}–${max}, got "${raw}"`);
    return fallback;
  }
  return n;
}

/** `host:port`, where host is a name, an IPv4 address or a bracketed IPv6 address. */
function brokerProblem(entry: string): string | undefined {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^:\s]+):(\d+)$/.exec(entry);
  if (!m) return `"${entry}" is not host:port`;
  const [, host, portText] = m;
  if (!host.startsWith('[') && !HOSTNAME_RE.test(host)) return `"${entry}" has an invalid host`;
  const port = Number(portText);
  if (port < 1 || port > 65535) return `"${entry}" has a port outside 1–65535`;
  return undefined;
}

function parseDatabaseUrl(raw: string | undefined, problems: string[]): string | undefined {
  const v = blankToUndefined(raw);
  if (v === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL, got a value that is not a URL');
    return undefined;
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    // The value may hold a password: name only the scheme.
    problems.push(`DATABASE_URL must be a postgres:// or postgresql:// URL, got scheme "${url.protocol}"`);
    return undefined;
  }
  if (!url.hostname) {
    problems.push('DATABASE_URL must name a host');
    return undefined;
  }
  return v;
}

function parseKafka(env: Env, defaultClientId: string, problems: string[]): KafkaConfig | undefined {
  const rawBrokers = blankToUndefined(env.KAFKA_BROKERS);
  const clientId = blankToUndefined(env.KAFKA_CLIENT_ID) ?? defaultClientId;
  if (!CLIENT_ID_RE.test(clientId)) {
    problems.push(`KAFKA_CLIENT_ID must be 1–249 characters of letters, digits, ".", "_" or "-", got "${clientId}"`);
  }
  if (rawBrokers === undefined) return undefined;
  const brokers = rawBrokers
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
  if (brokers.length === 0) {
    problems.push(`KAFKA_BROKERS must be a comma-separated list of host:port, got "${env.KAFKA_BROKERS}"`);
    return undefined;
  }
  const bad = brokers.map(brokerProblem).filter((p): p is string => p !== undefined);
  if (bad.length > 0) {
    problems.push(`KAFKA_BROKERS must be a comma-separated list of host:port: ${bad.join('; ')}`);
    return undefined;
  }
  return { brokers, clientId };
}

/** Services that serve the partner HTTP API and so verify tokens. */
const API_SERVICES: readonly ServiceName[] = ['gateway', 'customers', 'subscriptions', 'reporting', 'notifications'];

/** Where access sessions lead until product environments are configured (CUSTOMER_ENVIRONMENT_URL). */
export const DEFAULT_CUSTOMER_ENVIRONMENT_URL = 'https://environment.example.com';

function parseHttpUrl(name: string, raw: string | undefined, problems: string[]): string | undefined {
  const v = blankToUndefined(raw);
  if (v === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(v);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname || url.username || url.password) {
    problems.push(`${name} must be an http:// or https:// URL without credentials, got "${url ? `${url.protocol}//${url.host}` : 'not a URL'}"`);
    return undefined;
  }
  return v.replace(/\/+$/, '');
}

function parseSmtpUrl(raw: string | undefined, problems: string[]): string | undefined {
  const v = blankToUndefined(raw);
  if (v === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(v);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || !url.hostname) {
    // The value may hold a password: name only the scheme.
    problems.push(`SMTP_URL must be an smtp:// or smtps:// URL with a host, got ${url ? `scheme "${url.protocol}"` : 'a value that is not a URL'}`);
    return undefined;
  }
  return v;
}

function parseEventStoreConnectionString(raw: string | undefined, problems: string[]): string | undefined {
  const v = blankToUndefined(raw);
  if (v === undefined) return undefined;
  if (!/^esdb(\+discover)?:\/\/[^\s/]+/.test(v)) {
    problems.push('EVENTSTORE_CONNECTION_STRING must start with esdb:// or esdb+discover:// followed by a host');
    return undefined;
  }
  return v;
}

function parseServices(env: Env, options: LoadConfigOptions, problems: string[]): ServiceName[] {
  const raw = blankToUndefined(env.SERVICE);
  if (options.mode === 'standalone') {
    if (!options.service) throw new Error('loadConfig: a standalone process must name its service');
    if (raw !== undefined && raw !== options.service) {
      problems.push(`SERVICE is "${raw}" but this process runs the ${options.service} service; unset it or set it to "${options.service}"`);
    }
    return [options.service];
  }
  if (raw === undefined || raw === 'all') return [...SERVICE_NAMES];
  problems.push(`SERVICE must be "all" or unset for the all-in-one process (start one service with npm run start:<service>), got "${raw}"`);
  return [...SERVICE_NAMES];
}

export function loadConfig(env: Env, options: LoadConfigOptions): ServiceConfig {
  const problems: string[] = [];
  const services = parseServices(env, options, problems);
  const port = parseInteger('PORT', env.PORT, 3000, 1, 65535, problems);
  // All five services share one embedded server there: smaller pools each.
  const defaultPoolMax = options.mode === 'embedded' ? 4 : 10;
  const databasePoolMax = parseInteger('DATABASE_POOL_MAX', env.DATABASE_POOL_MAX, defaultPoolMax, 1, 1000, problems);
  const projectionStallMs = parseInteger('PROJECTION_STALL_MS', env.PROJECTION_STALL_MS, 60_000, 1000, 86_400_000, problems);
  const rateLimitPerMinute = parseInteger('RATE_LIMIT_PER_MINUTE', env.RATE_LIMIT_PER_MINUTE, 1200, 0, 100_000_000, problems);
  const rateLimitBurst = parseInteger('RATE_LIMIT_BURST', env.RATE_LIMIT_BURST, 300, 1, 100_000_000, problems);
  const publicBaseUrl = parseHttpUrl('PUBLIC_BASE_URL', env.PUBLIC_BASE_URL, problems);
  const customerEnvironmentUrl = parseHttpUrl('CUSTOMER_ENVIRONMENT_URL', env.CUSTOMER_ENVIRONMENT_URL, problems) ?? DEFAULT_CUSTOMER_ENVIRONMENT_URL;
  const customersUrl = parseHttpUrl('CUSTOMERS_URL', env.CUSTOMERS_URL, problems);
  const subscriptionsUrl = parseHttpUrl('SUBSCRIPTIONS_URL', env.SUBSCRIPTIONS_URL, problems);
  const reportingUrl = parseHttpUrl('REPORTING_URL', env.REPORTING_URL, problems);
  const notificationsUrl = parseHttpUrl('NOTIFICATIONS_URL', env.NOTIFICATIONS_URL, problems);
  const smtpUrl = parseSmtpUrl(env.SMTP_URL, problems);
  const mailFrom = blankToUndefined(env.MAIL_FROM);
  if (mailFrom !== undefined && (/[\r\n]/.test(mailFrom) || !/@/.test(mailFrom))) problems.push('MAIL_FROM must be one email address (optionally "Name <address>")');

  const host = blankToUndefined(env.HOST) ?? '0.0.0.0';
  if (!HOSTNAME_RE.test(host) && !/^[0-9A-Fa-f:.]+$/.test(host)) {
    problems.push(`HOST must be a host name or IP address, got "${env.HOST}"`);
  }

  const databaseUrl = parseDatabaseUrl(env.DATABASE_URL, problems);
  const kafka = parseKafka(env, `platform-${options.mode === 'standalone' ? options.service : 'embedded'}`, problems);
  const eventStoreConnectionString = parseEventStoreConnectionString(env.EVENTSTORE_CONNECTION_STRING, problems);

  if (options.mode === 'standalone') {
    if (blankToUndefined(env.DATABASE_URL) === undefined) {
      problems.push(`DATABASE_URL is required when the ${options.service} service runs alone (e.g. postgresql://user:pass@host:5432/db)`);
    }
    if (blankToUndefined(env.KAFKA_BROKERS) === undefined) {
      problems.push(`KAFKA_BROKERS is required when the ${options.service} service runs alone (e.g. kafka:9092)`);
    }
    if (API_SERVICES.includes(options.service!) && blankToUndefined(env.AUTH_JWT_SECRET) === undefined) {
      problems.push(`AUTH_JWT_SECRET is required when the ${options.service} service runs alone (at least ${MIN_JWT_SECRET_LENGTH} characters, e.g. openssl rand -base64 48)`);
    }
    if (options.service === 'gateway' && blankToUndefined(env.CUSTOMERS_URL) === undefined) {
      problems.push('CUSTOMERS_URL is required when the gateway runs alone (e.g. http://customers:3000)');
    }
  }

  const dataDir = blankToUndefined(env.DATA_DIR) ?? './data';

  const rawLevel = blankToUndefined(env.LOG_LEVEL)?.toLowerCase() ?? 'info';
  const logLevel = (LOG_LEVELS as readonly string[]).includes(rawLevel) ? (rawLevel as LogLevel) : 'info';
  if (logLevel !== rawLevel) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);

  const authJwtSecret = blankToUndefined(env.AUTH_JWT_SECRET);
  if (authJwtSecret !== undefined && authJwtSecret.length < MIN_JWT_SECRET_LENGTH) {
    // HS256 keys shorter than the hash output are brute-forceable; never echo the secret.
    problems.push(`AUTH_JWT_SECRET must be at least ${MIN_JWT_SECRET_LENGTH} characters, got ${authJwtSecret.length}`);
  }

  let dataKeyMasterKey: Buffer | undefined;
  const rawMasterKey = blankToUndefined(env.DATA_KEY_MASTER_KEY);
  if (rawMasterKey !== undefined) {
    const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(rawMasterKey) ? Buffer.from(rawMasterKey, 'base64') : undefined;
    if (decoded?.length === 32) dataKeyMasterKey = decoded;
    else problems.push('DATA_KEY_MASTER_KEY must be 32 bytes in base64 (openssl rand -base64 32)');
  }

  if (problems.length > 0) throw new ConfigValidationError(problems);
  return {
    mode: options.mode,
    services,
    host,
    port,
    databaseUrl,
    databasePoolMax,
    kafka,
    eventStoreConnectionString,
    dataDir,
    logLevel,
    authJwtSecret,
    dataKeyMasterKey,
    projectionStallMs,
    rateLimitPerMinute,
    rateLimitBurst,
    publicBaseUrl,
    customerEnvironmentUrl,
    customersUrl,
    subscriptionsUrl,
    reportingUrl,
    notificationsUrl,
    smtpUrl,
    mailFrom,
  };
}

/** Prints configuration problems without a stack trace and ends the process. */
export function exitOnConfigError(error: unknown): never {
  if (error instanceof ConfigValidationError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

/** Where links sent to people point: PUBLIC_BASE_URL (where clients reach the API), else this server itself. */
export function publicBaseUrl(config: Pick<ServiceConfig, 'publicBaseUrl' | 'host' | 'port'>): string {
  if (config.publicBaseUrl) return config.publicBaseUrl;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}
