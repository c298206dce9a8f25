import { STATUS_CODES } from 'node:http';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface FieldError {
  /** Dotted path of the failing input field (`address.country`, `items.0.name`). */
  field: string;
  message: string;
}

/** RFC 9457 problem details, with the platform's stable `code` and the request's correlation id. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  correlationId?: string;
  errors?: FieldError[];
}

/** Problem types are URNs derived from the code, so clients can switch on either. */
export function problemType(code: string): string {
  return `urn:problem-type:${code.toLowerCase()}`;
}

export function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/** The code for an HTTP error without a domain code (`HTTP.NOT_FOUND`, `HTTP.METHOD_NOT_ALLOWED`). */
export function httpStatusCode(status: number): string {
  return `HTTP.${statusTitle(status).toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_|_$/g, '')}`;
}

export class FieldErrorDto implements FieldError {
  @ApiProperty({ example: 'country' })
  field!: string;
  @ApiProperty({ example: 'country must be an ISO 3166-1 alpha-2 code' })
  message!: string;
}

/** OpenAPI description of every error body. */
export class ProblemDetailsDto implements ProblemDetails {
  @ApiProperty({ description: 'URI identifying the problem type', example: 'urn:problem-type:request.invalid' })
  type!: string;
  @ApiProperty({ example: 'Bad Request' })
  title!: string;
  @ApiProperty({ example: 400 })
  status!: number;
  @ApiProperty({ example: 'The request has 1 invalid field' })
  detail!: string;
  @ApiProperty({ description: 'Stable error code AREA.REASON', example: 'REQUEST.INVALID' })
  code!: string;
  @ApiProperty({ description: 'Path of the request that failed', example: '/api/v1/customers' })
  instance!: string;
  @ApiPropertyOptional({ example: '01936b2e-8a4c-7d3e-9f10-2b3c4d5e6f70' })
  correlationId?: string;
  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'The failing fields (validation errors only)' })
  errors?: FieldErrorDto[];
}
