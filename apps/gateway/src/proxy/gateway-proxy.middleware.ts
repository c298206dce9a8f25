import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { Request, Response } from 'express';
import { authenticateRequest, SERVICE_CONFIG, unauthenticated, type ServiceConfig } from '@platform/service-kit';
import { isPublicRoute, upstreamOf } from './proxied-routes';
import { UpstreamProxy } from './upstream-proxy';

/**
 * When the gateway runs alone, the customers service's routes are forwarded to CUSTOMERS_URL.
 * Requests without a valid token are refused here already (services verify the token again and
 * decide roles); rate limiting and idempotency ran before this middleware.
 */
@Injectable()
export class GatewayProxyMiddleware implements NestMiddleware {
  private readonly customers: UpstreamProxy;

  constructor(@Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {
    if (!config.customersUrl) throw new Error('GatewayProxyMiddleware needs CUSTOMERS_URL');
    this.customers = new UpstreamProxy({ baseUrl: config.customersUrl });
  }

  async use(req: Request, res: Response, next: () => void): Promise<void> {
    const url = req.originalUrl;
    if (upstreamOf(url) !== 'customers') return next();
    if (!isPublicRoute(req.method, url)) {
      const authentication = authenticateRequest(req, this.config.authJwtSecret);
      if (authentication.kind === 'anonymous') {
        throw unauthenticated(res, 'This route needs an Authorization: Bearer <token> header', false);
      }
      if (authentication.kind === 'invalid') {
        throw unauthenticated(res, `The bearer token is invalid: ${authentication.reason}`, true);
      }
    }
    await this.customers.forward(req, res);
  }
}
