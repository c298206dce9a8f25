import type { IncomingMessage, ServerResponse } from 'node:http';
import { DynamicModule, Module, type LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Level, type Logger as Pino } from 'pino';
import type { LogLevel } from '../config/service-config';
import { currentRequestContext, requestContextOf } from '../context/request-context';

// Personal data and credentials never reach the logs, at whatever depth a logged object holds them.
const SENSITIVE_FIELDS = [
  'password',
  'secret',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'email',
  'contactEmail',
  'recipients',
  'phone',
  'phoneNumber',
  'firstName',
  'lastName',
  'fullName',
  'displayName',
  'address',
];

export const REDACTED_PATHS: string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  ...SENSITIVE_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`, `*.*.*.${f}`]),
];

export interface LoggingOptions {
  level: LogLevel;
  /** Static fields on every line (service name, …). */
  base?: Record<string, unknown>;
  /** Where the lines go (default stdout); tests capture them. */
  destination?: DestinationStream;
}

/** The process's pino instance (one per application). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

function createRootLogger(options: LoggingOptions): Pino {
  return pino(
    {
      level: options.level,
      base: { pid: process.pid, ...options.base },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // Every line logged while handling a request or a message carries its ids (from the async
      // context), and the caller once authenticated, without a child logger per request.
      mixin: () => {
        const context = currentRequestContext();
        if (!context) return {};
        return context.actor
          ? { requestId: context.requestId, correlationId: context.correlationId, userId: context.actor.userId, partnerId: context.actor.partnerId }
          : { requestId: context.requestId, correlationId: context.correlationId };
      },
    },
    options.destination ?? process.stdout,
  );
}

type NestLevel = 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
const PINO_LEVEL: Record<NestLevel, Level> = { log: 'info', error: 'error', warn: 'warn', debug: 'debug', verbose: 'trace', fatal: 'fatal' };

/**
 * Nest's logger interface over pino: `new Logger('Ctx').log({ fields }, 'message')` becomes one JSON
 * line `{ context: 'Ctx', ...fields, msg: 'message' }`; `error(message, stack, context)` keeps the stack.
 */
export class PlatformLogger implements LoggerService {
  constructor(readonly pino: Pino) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('log', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(nestLevel: NestLevel, message: unknown, params: unknown[]): void {
    const level = PINO_LEVEL[nestLevel];
    if (!this.pino.isLevelEnabled(level)) return;
    // Nest appends the logger's context as the last parameter (after `undefined` when none was given).
    const rest = [...params];
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const extra = rest.filter((p) => p !== undefined);
    const fields: Record<string, unknown> = context ? { context } : {};
    if (message instanceof Error) {
      this.pino[level]({ ...fields, err: message }, typeof extra[0] === 'string' ? extra[0] : message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level]({ ...fields, ...(message as Record<string, unknown>) }, typeof extra[0] === 'string' ? extra[0] : undefined);
    } else if (nestLevel === 'error' && typeof extra[0] === 'string' && extra[0].includes('\n    at ')) {
      this.pino.error({ ...fields, err: { message: String(message), stack: extra[0] } }, String(message));
    } else {
      this.pino[level](fields, String(message));
    }
  }
}

// Probes and scrapes would drown the useful lines.
const NOT_LOGGED = /^\/(health\/|metrics)/;

// Bearer secrets that travel in URLs (invitation and verification links, signed downloads).
const SECRET_PATH_SEGMENT = /\/(invitations|email-verifications)\/[^/?:]+/g;
const SECRET_QUERY_PARAMETER = /([?&](?:sig|token|signature)=)[^&]*/gi;

/** The URL as logged: path tokens and signatures replaced. */
export function loggableUrl(url: string): string {
  return url.replace(SECRET_PATH_SEGMENT, '/$1/[redacted]').replace(SECRET_QUERY_PARAMETER, '$1[redacted]');
}

/**
 * One line per completed request (level by status: 5xx error, 4xx warn, else info), written
 * only when that level is enabled. Cheaper than pino-http, which serialises and redacts the
 * whole request into a child logger on every request whatever the level.
 */
export function requestLoggingMiddleware(root: Pino) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (!root.isLevelEnabled('info') && !root.isLevelEnabled('warn')) return next();
    // Express strips the mount path from `url` inside middleware; `originalUrl` is what the client asked.
    const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '';
    if (NOT_LOGGED.test(url)) return next();
    const started = process.hrtime.bigint();
    const context = requestContextOf(req);
    let done = false;
    const complete = () => {
      if (done) return;
      done = true;
      const status = res.statusCode;
      const level: Level = status >= 500 || !res.writableFinished ? 'error' : status >= 400 ? 'warn' : 'info';
      if (!root.isLevelEnabled(level)) return;
      root[level](
        {
          requestId: context.requestId,
          correlationId: context.correlationId,
          ...(context.actor ? { userId: context.actor.userId, partnerId: context.actor.partnerId } : {}),
          req: { method: req.method, url: loggableUrl(url), headers: req.headers, remoteAddress: req.socket?.remoteAddress },
          res: { statusCode: status },
          responseTime: Number(process.hrtime.bigint() - started) / 1e6,
        },
        res.writableFinished ? 'request completed' : 'request aborted',
      );
    };
    res.once('finish', complete);
    res.once('close', complete);
    next();
  };
}

/** JSON lines through pino, with request and correlation ids on every line of a request. */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    const root = createRootLogger(options);
    return {
      module: LoggingModule,
      global: true,
      providers: [
        { provide: ROOT_LOGGER, useValue: root },
        { provide: PlatformLogger, useValue: new PlatformLogger(root) },
      ],
      exports: [ROOT_LOGGER, PlatformLogger],
    };
  }
}
