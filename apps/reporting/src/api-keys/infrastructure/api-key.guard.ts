import { createParamDecorator, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ApiKeyAuthenticator, type ApiKeyPrincipal } from './api-key-authenticator';

export const API_KEY_HEADER = 'x-api-key';
const PRINCIPAL = Symbol('apiKeyPrincipal');
type WithPrincipal = Request & { [PRINCIPAL]?: ApiKeyPrincipal };

/**
 * Authenticates product environments by `X-Api-Key` (routes that are `@Public()` for the JWT
 * guard): 401 `AUTH.INVALID_API_KEY` when the header is missing, unknown, revoked or wrong.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly authenticator: ApiKeyAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<WithPrincipal>();
    const header = req.headers[API_KEY_HEADER];
    const principal = await this.authenticator.authenticate(typeof header === 'string' ? header.trim() : undefined);
    if (!principal) {
      throw new UnauthorizedException({ code: 'AUTH.INVALID_API_KEY', message: 'A valid X-Api-Key header is required' });
    }
    req[PRINCIPAL] = principal;
    return true;
  }
}

/** The product environment's key (partner) behind the request; only on routes guarded by {@link ApiKeyGuard}. */
export const CurrentApiKey = createParamDecorator((_data: unknown, ctx: ExecutionContext): ApiKeyPrincipal => {
  const principal = ctx.switchToHttp().getRequest<WithPrincipal>()[PRINCIPAL];
  if (!principal) throw new UnauthorizedException({ code: 'AUTH.INVALID_API_KEY', message: 'A valid X-Api-Key header is required' });
  return principal;
});
