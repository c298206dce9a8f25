import { BadRequestException, Inject, Injectable, type NestMiddleware, type OnModuleDestroy } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  authenticateRequest,
  currentRequestContext,
  PROBLEM_CONTENT_TYPE,
  problemType,
  requestContextOf,
  SERVICE_CONFIG,
  statusTitle,
  unauthenticated,
  type ProblemDetails,
  type ServiceConfig,
} from '@platform/service-kit';
import { hasDotSegments, isPublicRoute, UPSTREAM_SETTINGS, UPSTREAMS, upstreamOf, upstreamUrl, type Upstream } from './proxied-routes';
import { UpstreamProxy } from './upstream-proxy';

/**
 * When the gateway runs alone, each service's routes (see proxied-routes.ts) are forwarded to
 * that service's URL (CUSTOMERS_URL, SUBSCRIPTIONS_URL, REPORTING_URL, NOTIFICATIONS_URL).
 * Requests without a valid token are refused here already, except the public routes (services
 * verify the token again and decide roles; telemetry's X-Api-Key is checked by reporting).
 * A route whose service has no URL here answers 503 `GATEWAY.UPSTREAM_NOT_CONFIGURED`. Rate
 * limiting and idempotency ran before this middleware.
 */
@Injectable()
export class GatewayProxyMiddleware implements NestMiddleware, OnModuleDestroy {
  private readonly proxies = new Map<Upstream, UpstreamProxy>();

  constructor(@Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {
    if (!config.customersUrl) throw new Error('GatewayProxyMiddleware needs CUSTOMERS_URL');
    for (const upstream of UPSTREAMS) {
      const baseUrl = upstreamUrl(config, upstream);
      if (baseUrl) this.proxies.set(upstream, new UpstreamProxy({ baseUrl }));
    }
  }

  async use(req: Request, res: Response, next: () => void): Promise<void> {
    const url = req.originalUrl;
    const upstream = upstreamOf(url);
    if (upstream === undefined) return next();
    if (hasDotSegments(url)) {
      throw new BadRequestException({ code: 'GATEWAY.INVALID_PATH', message: 'The path must not contain "." or ".." segments' });
    }
    if (!isPublicRoute(req.method, url)) {
      const authentication = authenticateRequest(req, this.config.authJwtSecret);
      if (authentication.kind === 'anonymous') {
        throw unauthenticated(res, 'This route needs an Authorization: Bearer <token> header', false);
      }
      if (authentication.kind === 'invalid') {
        throw unauthenticated(res, `The bearer token is invalid: ${authentication.reason}`, true);
      }
    }
    const proxy = this.proxies.get(upstream);
    if (!proxy) return notConfigured(req, res, upstream);
    await proxy.forward(req, res);
  }

  onModuleDestroy(): void {
    for (const proxy of this.proxies.values()) proxy.close();
  }
}

/**
 * 503 for a route whose service has no URL at this gateway. Written here rather than thrown: the
 * exception filter hides the detail of every 5xx, and this one must name the variable to set.
 */
function notConfigured(req: Request, res: Response, upstream: Upstream): void {
  const status = 503;
  const code = 'GATEWAY.UPSTREAM_NOT_CONFIGURED';
  const problem: ProblemDetails = {
    type: problemType(code),
    title: statusTitle(status),
    status,
    detail: `The ${upstream} service is not configured at this gateway: set ${UPSTREAM_SETTINGS[upstream].variable}`,
    code,
    instance: req.originalUrl.split('?')[0],
    correlationId: (currentRequestContext() ?? requestContextOf(req)).correlationId,
  };
  res.status(status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}
