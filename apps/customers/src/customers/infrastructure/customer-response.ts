import { UnsupportedMediaTypeException, applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { NotFoundError, isUuid } from '@platform/core';
import { PROBLEM_CONTENT_TYPE, ProblemDetailsDto, setEntityTag } from '@platform/service-kit';
import type { Request, Response } from 'express';
import { ACCOUNT_TYPES } from '../domain/customer.events';
import type { CustomerState } from '../domain/customer.decider';
import { customerNotFound } from '../domain/customer.errors';
import type { CommandOutcome, LoadedCustomer } from './customer-command-runner';

export class ReportDeliveryDto {
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ type: [String], example: ['reports@contoso.com'] }) recipients!: string[];
}

export class BillingReportDeliveryDto extends ReportDeliveryDto {
  @ApiPropertyOptional({ example: 'monthly-eu' }) billingProfileId?: string;
}

export class CustomerLogoDto {
  @ApiProperty({ enum: ['image/png', 'image/jpeg', 'image/webp'] }) contentType!: string;
  @ApiProperty({ example: 20480 }) sizeBytes!: number;
  @ApiProperty({ description: 'SHA-256 of the image bytes (hex)' }) sha256!: string;
}

/** The customer as the write side knows it after a command (the list and search are the read side's). */
export class CustomerResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['invited', 'active', 'revoked'] }) status!: string;
  @ApiProperty({ enum: ['partner', 'customer'] }) managementMode!: string;
  @ApiProperty({ example: 'Contoso Ltd' }) organizationName!: string;
  @ApiProperty({ example: 'contoso.com' }) primaryDomain!: string;
  @ApiProperty({ example: 'IT' }) countryCode!: string;
  @ApiProperty({ example: 'it' }) locale!: string;
  @ApiProperty({ enum: ACCOUNT_TYPES }) accountType!: string;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({ type: String, nullable: true, example: 'it-admin@contoso.com' }) contactEmail!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The customer admin who accepted the invitation' })
  registeredAccount!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) indirectProviderId!: string | null;
  @ApiProperty({ type: CustomerLogoDto, nullable: true }) logo!: CustomerLogoDto | null;
  @ApiProperty({ type: BillingReportDeliveryDto }) billingReports!: BillingReportDeliveryDto;
  @ApiProperty({ type: ReportDeliveryDto }) serviceReports!: ReportDeliveryDto;
  @ApiProperty({ type: String, nullable: true }) jobNotificationProfileId!: string | null;
  @ApiProperty() openTicketCount!: number;
  @ApiProperty({ description: 'Stream version; the ETag is W/"<version>"' }) version!: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) createdAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) updatedAt!: string | null;
}

export function toCustomerResponse(customerId: string, state: CustomerState, version: number): CustomerResponseDto {
  return {
    id: customerId,
    status: state.status,
    managementMode: state.managementMode,
    organizationName: state.organizationName ?? '',
    primaryDomain: state.primaryDomain ?? '',
    countryCode: state.countryCode ?? '',
    locale: state.locale,
    accountType: state.accountType ?? '',
    tags: state.tags,
    contactEmail: state.contactEmail,
    registeredAccount: state.registeredAccount,
    indirectProviderId: state.indirectProviderId,
    logo: state.logo,
    billingReports: { ...state.billingReports, recipients: state.billingReports.recipients ?? [] },
    serviceReports: { ...state.serviceReports, recipients: state.serviceReports.recipients ?? [] },
    jobNotificationProfileId: state.jobNotificationProfileId,
    openTicketCount: state.openTicketIds.length,
    version,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
  };
}

export const LOG_POSITION_HEADER = 'X-Log-Position';

/** ETag of the stream version, and the log position of what was appended (read-your-writes). */
export function setWriteHeaders(res: Response, outcome: CommandOutcome | LoadedCustomer): void {
  setEntityTag(res, outcome.version);
  if ('position' in outcome && outcome.position !== undefined) res.setHeader(LOG_POSITION_HEADER, outcome.position.toString());
}

/** Ids are UUIDs: anything else cannot name a customer and is answered like an unknown one. */
export function requireCustomerId(id: string): string {
  if (!isUuid(id)) throw customerNotFound();
  return id.toLowerCase();
}

export const isNotFound = (e: unknown): e is NotFoundError => e instanceof NotFoundError;

/** Documents the problem answers an operation gives, beyond the default one. */
export function ApiProblems(...responses: Array<[status: number, description: string]>): MethodDecorator {
  return applyDecorators(
    ...responses.map(([status, description]) =>
      ApiResponse({ status, description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } } }),
    ),
  );
}

export const WRITE_HEADERS_DOC = {
  ETag: { description: 'W/"<stream version>"', schema: { type: 'string' } },
  [LOG_POSITION_HEADER]: { description: 'Log position of this write; pass it back to read your own write', schema: { type: 'string' } },
};

/**
 * A JSON route given a body of another type: 415, rather than reading the unparsed body as `{}`
 * (which a route whose fields are all optional would accept).
 */
export function requireJsonBodyIfAny(req: Request): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (hasBody && type !== 'application/json' && !type.endsWith('+json')) {
    throw new UnsupportedMediaTypeException({ code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE', message: 'The body must be application/json' });
  }
}
