import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { BadGatewayException, GatewayTimeoutException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { currentRequestContext, requestContextOf } from '@platform/service-kit';

// RFC 9110 §7.6.1: connection-specific headers are not forwarded.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

export interface UpstreamOptions {
  /** Base URL of the service (`http://customers:3000`). */
  baseUrl: string;
  /** No answer (headers) within this time → 504. */
  timeoutMs?: number;
}

type WithRawBody = Request & { rawBody?: Buffer; _body?: boolean };

function forwardedRequestHeaders(req: Request, bodyLength: number | undefined): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  const connectionTokens = new Set(
    String(req.headers.connection ?? '')
      .split(',')
      .map((t) => t.trim().toLowerCase()),
  );
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || connectionTokens.has(name)) continue;
    headers[name] = value;
  }
  // The same ids on both sides: one request is followed through gateway and service logs.
  const context = currentRequestContext() ?? requestContextOf(req);
  headers['x-request-id'] = context.requestId;
  headers['x-correlation-id'] = context.correlationId;
  const forwardedFor = req.headers['x-forwarded-for'];
  const client = req.socket.remoteAddress ?? '';
  headers['x-forwarded-for'] = forwardedFor ? `${String(forwardedFor)}, ${client}` : client;
  headers['x-forwarded-proto'] = req.protocol;
  if (req.headers.host) headers['x-forwarded-host'] = req.headers.host;
  if (bodyLength !== undefined) {
    headers['content-length'] = String(bodyLength);
    delete headers['transfer-encoding'];
  }
  return headers;
}

function copyResponseHeaders(from: IncomingHttpHeaders, res: Response): void {
  const connectionTokens = new Set(
    String(from.connection ?? '')
      .split(',')
      .map((t) => t.trim().toLowerCase()),
  );
  for (const [name, value] of Object.entries(from)) {
    if (value === undefined || HOP_BY_HOP.has(name) || connectionTokens.has(name)) continue;
    // setHeader (not writeHead's argument) so middleware wrapping the response sees them.
    res.setHeader(name, value);
  }
}

/**
 * Forwards requests to one upstream service over node:http with keep-alive: method, path and
 * query, end-to-end headers (Authorization, Idempotency-Key, If-Match, request and correlation
 * ids, …) and the body, streamed; the answer comes back untouched (status, headers, body),
 * streamed too. No answer → 502 `GATEWAY.UPSTREAM_UNAVAILABLE`; too slow → 504 `GATEWAY.UPSTREAM_TIMEOUT`.
 */
export class UpstreamProxy {
  private readonly base: URL;
  private readonly agent: HttpAgent;
  private readonly timeoutMs: number;

  constructor(options: UpstreamOptions) {
    this.base = new URL(options.baseUrl);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    const agentOptions = { keepAlive: true, maxSockets: 256, keepAliveMsecs: 1000 };
    this.agent = this.base.protocol === 'https:' ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  }

  forward(req: Request, res: Response): Promise<void> {
    const r = req as WithRawBody;
    // JSON and form bodies were read by the body parser (rawBody keeps their bytes); anything else is still a stream.
    const buffered = Buffer.isBuffer(r.rawBody)
      ? r.rawBody
      : r._body
        ? Buffer.from(JSON.stringify(r.body ?? null))
        : undefined;
    const basePath = this.base.pathname.replace(/\/+$/, '');
    const send = this.base.protocol === 'https:' ? httpsRequest : httpRequest;

    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        reject(error);
      };
      const upstream = send({
        protocol: this.base.protocol,
        hostname: this.base.hostname,
        port: this.base.port,
        method: req.method,
        path: `${basePath}${req.originalUrl}`,
        headers: forwardedRequestHeaders(req, buffered?.length),
        agent: this.agent,
      });
      const timer = setTimeout(() => {
        upstream.destroy();
        fail(new GatewayTimeoutException({ code: 'GATEWAY.UPSTREAM_TIMEOUT', message: `The service did not answer within ${this.timeoutMs} ms` }));
      }, this.timeoutMs);

      upstream.on('response', (answer: IncomingMessage) => {
        clearTimeout(timer);
        if (settled) {
          answer.resume();
          return;
        }
        settled = true;
        res.status(answer.statusCode ?? 502);
        copyResponseHeaders(answer.headers, res);
        answer.pipe(res);
        answer.on('error', () => res.destroy());
        answer.on('end', () => resolve());
        answer.on('aborted', () => res.destroy());
      });
      upstream.on('error', (e) => {
        clearTimeout(timer);
        if (settled && !res.headersSent) return;
        if (settled) {
          res.destroy(e);
          return;
        }
        fail(new BadGatewayException({ code: 'GATEWAY.UPSTREAM_UNAVAILABLE', message: 'The service behind this route is not reachable' }));
      });
      // The client gave up: so does the upstream request.
      res.on('close', () => {
        if (!res.writableFinished) upstream.destroy();
      });

      if (buffered) upstream.end(buffered);
      else req.pipe(upstream);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
