import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { Request, Response } from 'express';
import { authenticateRequest, SERVICE_CONFIG, type ServiceConfig } from '@platform/service-kit';
import { CustomerListRegistration } from './customer-list.registration';
import { ListResponseCache } from './list-response-cache';

export const LIST_RESPONSE_CACHE = Symbol('LIST_RESPONSE_CACHE');

/**
 * The hot path of `GET /api/v1/customers`: an answer already given to the same token for the
 * same URL at the current checkpoint is sent again without routing, guards, validation or
 * serialisation. It runs after the global middleware (request ids, logs, metrics, rate
 * limits), and only for a token that is still valid; everything else goes the full way.
 */
@Injectable()
export class ListResponseCacheMiddleware implements NestMiddleware {
  constructor(
    @Inject(LIST_RESPONSE_CACHE) private readonly cache: ListResponseCache,
    private readonly registration: CustomerListRegistration,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  use(req: Request, res: Response, next: () => void): void {
    const key = req.method === 'GET' ? ListResponseCache.key(req.headers, req.originalUrl) : undefined;
    const body = key === undefined ? undefined : this.cache.get(this.registration.authoritativePosition(), key);
    if (!body || authenticateRequest(req, this.config.authJwtSecret).kind !== 'authenticated') return next();
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', body.length);
    res.end(body);
  }
}
