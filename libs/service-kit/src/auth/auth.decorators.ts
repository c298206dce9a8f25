import { applyDecorators, createParamDecorator, SetMetadata, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthenticatedActor, PartnerRole } from './jwt';

export const IS_PUBLIC_KEY = 'platform:auth:public';
export const ROLES_KEY = 'platform:auth:roles';
/** OpenAPI extension marking operations that need no token (the document builder turns it into `security: []`). */
export const PUBLIC_OPERATION_EXTENSION = 'x-public';

/** The route needs no token (health, metrics, invitation acceptance, …). On a handler or a controller. */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC_KEY, true), ApiExtension(PUBLIC_OPERATION_EXTENSION, true));

/**
 * Only callers holding one of these roles may use the route (403 `AUTH.FORBIDDEN` otherwise);
 * `global-admin` may always. On a handler it overrides the controller's.
 */
export const Roles = (...roles: PartnerRole[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

const ACTOR = Symbol('authenticatedActor');
type WithActor = Request & { [ACTOR]?: AuthenticatedActor };

/** Set by the JWT guard once the token is verified. */
export function setActor(req: Request, actor: AuthenticatedActor): void {
  (req as WithActor)[ACTOR] = actor;
}

/** The verified caller of a request, if it presented a valid token. */
export function actorOf(req: Request): AuthenticatedActor | undefined {
  return (req as WithActor)[ACTOR];
}

/** The verified caller (`@CurrentActor() actor: AuthenticatedActor`); only on routes that are not `@Public()`. */
export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthenticatedActor => {
  const actor = actorOf(ctx.switchToHttp().getRequest<Request>());
  if (!actor) throw new UnauthorizedException({ code: 'AUTH.UNAUTHENTICATED', message: 'This route needs a bearer token' });
  return actor;
});
