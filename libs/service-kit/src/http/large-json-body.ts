import type { IncomingMessage } from 'node:http';
import { Injectable, type Provider } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { json } from 'express';

/**
 * A JSON body parser with a larger limit for the routes under `path` (the global one allows
 * 100 kB): telemetry batches of 1,000 records, at the reporting service and at the gateway that
 * forwards them. Mounted while the application is created, before Nest mounts its global parser
 * (which then sees the body parsed and skips it); it keeps the raw bytes like the global one
 * (idempotency fingerprints and the gateway's proxy need them). The wrapper must not be named
 * `jsonParser`: Nest skips its own parser if one by that name exists.
 */
export function largeJsonBodyFor(path: string, limit: string): Provider {
  @Injectable()
  class LargeJsonBody {
    constructor(adapterHost: HttpAdapterHost) {
      const adapter = adapterHost.httpAdapter;
      if (!adapter) return;
      const parse = json({
        limit,
        verify: (req: IncomingMessage & { rawBody?: Buffer }, _res, buf) => {
          req.rawBody = buf;
        },
      });
      const largeJsonBody: typeof parse = (req, res, next) => parse(req, res, next);
      adapter.use(path, largeJsonBody);
    }
  }
  return { provide: Symbol(`large JSON bodies under ${path}`), useClass: LargeJsonBody };
}
