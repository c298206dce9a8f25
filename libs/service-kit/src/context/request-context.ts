import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { uuidv7 } from '@platform/core';

/** What every piece of work started by one request (or one consumed message) shares. */
export interface RequestContext {
  requestId: string;
  /** Carried into event metadata so one business operation can be followed across services. */
  correlationId: string;
  /** The verified caller, once the auth guard has run (logged with every line of the request). */
  actor?: { userId: string; partnerId: string };
}

export const REQUEST_ID_HEADER = 'x-request-id';
export const CORRELATION_ID_HEADER = 'x-correlation-id';

const storage = new AsyncLocalStorage<RequestContext>();

/** The context of the request or message being handled, if any. */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Runs `fn` with a context, e.g. a message consumer using the message's correlation id. */
export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

// Header values end up in logs and response headers: accept only short, plain tokens.
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const raw = req.headers[name];
  const v = Array.isArray(raw) ? raw[0] : raw;
  return v !== undefined && SAFE_ID.test(v) ? v : undefined;
}

const CONTEXT_KEY = Symbol('requestContext');
type WithContext = IncomingMessage & { [CONTEXT_KEY]?: RequestContext };

/**
 * The ids of a request: taken from `X-Request-Id` / `X-Correlation-Id` when they are sane,
 * minted (UUIDv7) otherwise; a request without a correlation id starts one with its own id.
 * Memoised on the request so the logger and the context middleware agree whatever their order.
 */
export function requestContextOf(req: IncomingMessage): RequestContext {
  const r = req as WithContext;
  if (!r[CONTEXT_KEY]) {
    const requestId = headerValue(req, REQUEST_ID_HEADER) ?? uuidv7();
    const correlationId = headerValue(req, CORRELATION_ID_HEADER) ?? requestId;
    r[CONTEXT_KEY] = { requestId, correlationId };
  }
  return r[CONTEXT_KEY];
}

/** Express middleware: echoes the ids in the response and runs the rest of the request inside the context. */
export function requestContextMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const context = requestContextOf(req);
  res.setHeader('X-Request-Id', context.requestId);
  res.setHeader('X-Correlation-Id', context.correlationId);
  storage.run(context, next);
}
