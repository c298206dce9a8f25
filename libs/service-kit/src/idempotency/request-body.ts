import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { PayloadTooLargeException } from '@nestjs/common';

type WithBody = IncomingMessage & { rawBody?: Buffer; body?: unknown; _body?: boolean };

/** Bodies larger than this are refused before being buffered for a fingerprint. */
export const MAX_FINGERPRINTED_BODY_BYTES = 10 * 1024 * 1024;

function readAll(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.resume();
        reject(new PayloadTooLargeException({ code: 'REQUEST.TOO_LARGE', message: `The body exceeds ${limit} bytes` }));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * Makes a fully read request readable again from the start, so the route's own body handling
 * (multer, a raw stream reader, the gateway's proxy) sees the same bytes. The request keeps its
 * identity (Express and Nest hold references to it); only its readable side is re-armed.
 */
function rewind(req: IncomingMessage, body: Buffer): void {
  const readable = req as unknown as { _readableState: unknown; _read: (size: number) => void };
  readable._readableState = new (Readable as unknown as { ReadableState: new (...args: unknown[]) => unknown }).ReadableState(
    { autoDestroy: false },
    req,
    true,
  );
  readable._read = () => undefined;
  if (body.length > 0) req.push(body);
  req.push(null);
}

/**
 * The exact bytes of the request body: what the JSON/form parser kept (`rawBody`), or the
 * stream itself for any other content type (multipart, octet-stream, …), read and rewound.
 */
export async function requestBodyBytes(req: IncomingMessage, limit = MAX_FINGERPRINTED_BODY_BYTES): Promise<Buffer> {
  const r = req as WithBody;
  if (Buffer.isBuffer(r.rawBody)) return r.rawBody;
  if (r._body || req.readableEnded) {
    // Parsed without keeping the raw bytes (an app created without rawBody): the parsed value stands for them.
    return Buffer.from(r.body === undefined ? '' : JSON.stringify(r.body));
  }
  const body = await readAll(req, limit);
  rewind(req, body);
  return body;
}

/** A multipart body with its boundary replaced by a fixed one: clients pick a new random boundary per attempt. */
function withoutMultipartBoundary(contentType: string | undefined, body: Buffer): Buffer {
  const m = /^multipart\/[^;]+;.*\bboundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) return body;
  return Buffer.from(body.toString('latin1').split(`--${boundary}`).join('--boundary'), 'latin1');
}

/** What makes two requests "the same" for idempotency: method, path and query, and a hash of the body. */
export function requestFingerprint(method: string, url: string, body: Buffer, contentType?: string): string {
  const bodyHash = createHash('sha256').update(withoutMultipartBoundary(contentType, body)).digest('hex');
  return createHash('sha256').update(`${method.toUpperCase()} ${url}\n${bodyHash}`).digest('hex');
}
