import {
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import type { ServiceConfig } from '../config/service-config';
import { SERVICE_CONFIG } from '../runtime/tokens';
import { IS_PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import type { AuthenticatedActor, PartnerRole } from './jwt';
import { authenticateRequest } from './request-authentication';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Writes without an explicit `@Roles(...)`: auditors are read-only (spec Actors). */
const DEFAULT_WRITE_ROLES: PartnerRole[] = ['global-admin', 'admin-agent'];

export function unauthenticated(res: Response, detail: string, tokenGiven: boolean): UnauthorizedException {
  // RFC 6750 §3: tell the client which scheme to use, and whether its token was the problem.
  res.setHeader('WWW-Authenticate', tokenGiven ? 'Bearer realm="api", error="invalid_token"' : 'Bearer realm="api"');
  return new UnauthorizedException({ code: 'AUTH.UNAUTHENTICATED', message: detail });
}

/** Whether `actor` may call a route needing `required` roles (none listed: any role reads, only non-auditors write). */
export function hasRequiredRole(actor: AuthenticatedActor, required: PartnerRole[] | undefined, method: string): boolean {
  if (actor.roles.includes('global-admin')) return true;
  const allowed = required ?? (SAFE_METHODS.has(method.toUpperCase()) ? undefined : DEFAULT_WRITE_ROLES);
  return allowed === undefined || actor.roles.some((r) => allowed.includes(r));
}

/**
 * Global guard: every route needs `Authorization: Bearer <HS256 JWT>` signed with
 * AUTH_JWT_SECRET unless `@Public()`; `@Roles(...)` narrows who may call it. Failures are
 * 401 `AUTH.UNAUTHENTICATED` (with `WWW-Authenticate`) and 403 `AUTH.FORBIDDEN` problems.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly logger = new Logger('Auth');
  private warnedNoSecret = false;

  constructor(
    private readonly reflector: Reflector,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;

    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const authentication = authenticateRequest(req, this.config.authJwtSecret);
    if (authentication.kind === 'anonymous') {
      throw unauthenticated(res, 'This route needs an Authorization: Bearer <token> header', false);
    }
    if (authentication.kind === 'invalid') {
      if (!this.config.authJwtSecret && !this.warnedNoSecret) {
        this.warnedNoSecret = true;
        this.logger.warn('AUTH_JWT_SECRET is not set: every authenticated route answers 401');
      }
      throw unauthenticated(res, `The bearer token is invalid: ${authentication.reason}`, true);
    }
    const { actor } = authentication;

    const required = this.reflector.getAllAndOverride<PartnerRole[] | undefined>(ROLES_KEY, targets);
    if (!hasRequiredRole(actor, required, req.method)) {
      throw new ForbiddenException({ code: 'AUTH.FORBIDDEN', message: 'Your roles do not allow this operation' });
    }
    return true;
  }
}
