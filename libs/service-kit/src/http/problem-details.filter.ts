import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CodedError, ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '@platform/core';
import { currentRequestContext, requestContextOf } from '../context/request-context';
import { RequestValidationException } from './request-validation';
import {
  httpStatusCode,
  PROBLEM_CONTENT_TYPE,
  problemType,
  statusTitle,
  type FieldError,
  type ProblemDetails,
} from './problem-details';

const CONCURRENCY_CODE = 'EVENT_STORE.WRONG_EXPECTED_VERSION';

interface Mapped {
  status: number;
  code: string;
  detail: string;
  errors?: FieldError[];
}

function fromHttpException(e: HttpException): Mapped {
  const status = e.getStatus();
  if (e instanceof RequestValidationException) {
    return { status, code: 'REQUEST.INVALID', detail: e.message, errors: e.errors };
  }
  const body = e.getResponse();
  let detail = e.message;
  let code = httpStatusCode(status);
  if (typeof body === 'object' && body !== null) {
    const b = body as { message?: unknown; code?: unknown };
    if (typeof b.message === 'string') detail = b.message;
    else if (Array.isArray(b.message)) detail = b.message.join('; ');
    if (typeof b.code === 'string') code = b.code;
  }
  // Nest's own 500s carry nothing a client should see.
  if (status >= 500) detail = statusTitle(status);
  return { status, code, detail };
}

// Errors of Express's body parsers (http-errors): `expose` marks a message safe for clients.
const BODY_PARSER_CODES: Record<string, string> = {
  'entity.too.large': 'REQUEST.TOO_LARGE',
  'entity.parse.failed': 'REQUEST.MALFORMED_BODY',
  'entity.verify.failed': 'REQUEST.MALFORMED_BODY',
  'request.aborted': 'REQUEST.ABORTED',
  'request.size.invalid': 'REQUEST.MALFORMED_BODY',
  'encoding.unsupported': 'REQUEST.UNSUPPORTED_ENCODING',
  'charset.unsupported': 'REQUEST.UNSUPPORTED_ENCODING',
  'parameters.too.many': 'REQUEST.TOO_LARGE',
};

function fromClientHttpError(e: unknown): Mapped | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const { status, expose, type, message } = e as { status?: unknown; expose?: unknown; type?: unknown; message?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499 || expose !== true) return undefined;
  const code = (typeof type === 'string' && BODY_PARSER_CODES[type]) || httpStatusCode(status);
  return { status, code, detail: typeof message === 'string' ? message : statusTitle(status) };
}

function fromCodedError(e: CodedError): Mapped | undefined {
  if (e instanceof ValidationError) {
    return { status: HttpStatus.BAD_REQUEST, code: e.code, detail: e.message, errors: e.fields };
  }
  if (e instanceof NotFoundError) return { status: HttpStatus.NOT_FOUND, code: e.code, detail: e.message };
  if (e instanceof PreconditionFailedError) return { status: HttpStatus.PRECONDITION_FAILED, code: e.code, detail: e.message };
  if (e instanceof ConflictError || e.code === CONCURRENCY_CODE) {
    return { status: HttpStatus.CONFLICT, code: e.code, detail: e.message };
  }
  return undefined;
}

/**
 * Every HTTP error leaves as `application/problem+json` (RFC 9457). Domain errors map by class;
 * anything unexpected is logged in full and answered with a bare 500, never its message or stack.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();

    let mapped: Mapped | undefined;
    if (exception instanceof HttpException) mapped = fromHttpException(exception);
    else if (exception instanceof CodedError) mapped = fromCodedError(exception);
    else mapped = fromClientHttpError(exception);
    if (!mapped || mapped.status >= 500) {
      this.logger.error({ err: exception }, 'request failed with an unexpected error');
    }
    mapped ??= {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      code: 'INTERNAL.UNEXPECTED',
      detail: 'An unexpected error occurred; quote the correlation id when reporting it.',
    };

    const context = currentRequestContext() ?? requestContextOf(req);
    const problem: ProblemDetails = {
      type: problemType(mapped.code),
      title: statusTitle(mapped.status),
      status: mapped.status,
      detail: mapped.detail,
      code: mapped.code,
      instance: (req.originalUrl ?? req.url).split('?')[0],
      correlationId: context.correlationId,
      ...(mapped.errors ? { errors: mapped.errors } : {}),
    };
    if (res.headersSent) return;
    res.status(mapped.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }
}
