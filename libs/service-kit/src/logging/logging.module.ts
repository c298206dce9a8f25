import type { IncomingMessage } from 'node:http';
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
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

/**
 * JSON lines through pino. Each request gets a child logger bound to its request id and
 * correlation id, so every line logged while handling it (Nest `Logger` or `PinoLogger`) carries both.
 */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: [
            {
            level: options.level,
            base: { pid: process.pid, ...options.base },
            redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
            genReqId: (req: IncomingMessage) => requestContextOf(req).requestId,
            // Lines logged while handling a request carry its id, not the whole request again.
            quietReqLogger: true,
            customAttributeKeys: { reqId: 'requestId' },
            // The correlation id comes from the async context, so it is on every line of the request
            // and also on lines of work that runs in a context without a request (message consumers).
            mixin: () => {
              const context = currentRequestContext();
              if (!context) return {};
              return context.actor
                ? { correlationId: context.correlationId, userId: context.actor.userId, partnerId: context.actor.partnerId }
                : { correlationId: context.correlationId };
            },
            // Probes and scrapes would drown the useful lines.
            autoLogging: { ignore: (req: IncomingMessage) => /^\/(health\/|metrics)/.test(req.url ?? '') },
            customLogLevel: (_req, res, err) =>
              err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
            },
            options.destination ?? process.stdout,
          ],
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
