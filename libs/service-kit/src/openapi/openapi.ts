import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, getSchemaPath, type OpenAPIObject } from '@nestjs/swagger';
import { PUBLIC_OPERATION_EXTENSION } from '../auth/auth.decorators';
import { FieldErrorDto, PROBLEM_CONTENT_TYPE, ProblemDetailsDto } from '../http/problem-details';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

/**
 * Every operation answers errors as problem+json; rather than repeat that on each handler,
 * it is added as the `default` response of every operation that does not declare its own.
 */
export function withProblemResponses(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.responses = {
    ...document.components.responses,
    Problem: {
      description: 'Error (RFC 9457 problem details)',
      content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } },
    },
  };
  for (const item of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation && !operation.responses.default) {
        operation.responses.default = { $ref: '#/components/responses/Problem' };
      }
    }
  }
  return document;
}

export const BEARER_SCHEME = 'bearer';

/**
 * Every operation needs the bearer token except those marked `@Public()` (the decorator leaves
 * an `x-public` extension, replaced here by an empty security requirement).
 */
export function withBearerSecurity(document: OpenAPIObject): OpenAPIObject {
  document.security = [{ [BEARER_SCHEME]: [] }];
  for (const item of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as (Record<string, unknown> & { security?: unknown }) | undefined;
      if (operation?.[PUBLIC_OPERATION_EXTENSION]) {
        delete operation[PUBLIC_OPERATION_EXTENSION];
        operation.security = [];
      }
    }
  }
  return document;
}

/** Every POST accepts `Idempotency-Key` (handled for all of them by the gateway). */
export function withIdempotencyKeys(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    const operation = item.post;
    if (!operation) continue;
    operation.parameters ??= [];
    if (operation.parameters.some((p) => 'name' in p && p.name.toLowerCase() === 'idempotency-key')) continue;
    operation.parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'Makes a retry safe: the first answer to this key (same user, same request) is replayed with `Idempotent-Replayed: true`; ' +
        'the key with another request is 422 IDEMPOTENCY.KEY_REUSED, a retry while the first runs 409 IDEMPOTENCY.IN_PROGRESS. Kept 24 h.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
  }
  return document;
}

export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Partner customer management API')
    .setDescription(
      'HTTP API v1 of the partner customer management platform. Errors are application/problem+json ' +
        '(RFC 9457) with a stable `code`; validation errors list the failing fields.',
    )
    .setVersion('1')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'HS256 JWT with claims sub (user id), pid (partner id), roles (global-admin, admin-agent, auditor), exp. `npm run token` makes one.',
      },
      BEARER_SCHEME,
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ProblemDetailsDto, FieldErrorDto] });
  return withIdempotencyKeys(withBearerSecurity(withProblemResponses(document)));
}

/**
 * A provider under this token adds operations the application serves without declaring them
 * (the gateway's proxied routes): it is asked on every request of the document.
 */
export const OPENAPI_DOCUMENT_EXTENSION = Symbol('OPENAPI_DOCUMENT_EXTENSION');

export interface OpenApiDocumentExtension {
  extend(document: OpenAPIObject): OpenAPIObject;
}

function documentExtension(app: INestApplication): OpenApiDocumentExtension | undefined {
  try {
    return app.get<OpenApiDocumentExtension | null>(OPENAPI_DOCUMENT_EXTENSION, { strict: false }) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Swagger UI at /docs, the document at /docs-json. */
export function setupOpenApi(app: INestApplication): OpenAPIObject {
  const document = createOpenApiDocument(app);
  const extension = documentExtension(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    ...(extension ? { patchDocumentOnRequest: (_req: unknown, _res: unknown, doc: OpenAPIObject) => extension.extend(doc) } : {}),
  });
  return document;
}
