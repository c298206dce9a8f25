import { Controller, Delete, Get, Headers, Param, Put, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentActor, IfMatch, Roles, type AuthenticatedActor } from '@platform/service-kit';
import type { Request, Response } from 'express';
import { LOGO_CONTENT_TYPES } from '../../domain/customer.events';
import {
  ApiProblems,
  CustomerResponseDto,
  WRITE_HEADERS_DOC,
  requireCustomerId,
  setWriteHeaders,
  toCustomerResponse,
} from '../../infrastructure/customer-response';
import { ChangeLogoHandler } from './change-logo.handler';
import { logoContentType, readLogoBody } from './change-logo.request';

@ApiTags('customers')
@Controller('api/v1/customers')
export class ChangeLogoHttpController {
  constructor(private readonly handler: ChangeLogoHandler) {}

  @Put(':id/logo')
  @Roles('global-admin', 'admin-agent')
  @ApiOperation({
    summary: 'Set the customer logo (F2)',
    description: 'The raw image as the body: PNG, JPEG or WebP, at most 512 KiB; the bytes must really be the declared type.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiConsumes(...LOGO_CONTENT_TYPES)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiOkResponse({ type: CustomerResponseDto, headers: WRITE_HEADERS_DOC })
  @ApiProblems(
    [400, 'CUSTOMER.INVALID (empty body)'],
    [404, 'CUSTOMER.NOT_FOUND'],
    [409, 'CUSTOMER.CUSTOMER_MANAGED, CUSTOMER.CONCURRENT_UPDATE'],
    [412, 'REQUEST.PRECONDITION_FAILED'],
    [413, 'CUSTOMER.LOGO_TOO_LARGE'],
    [415, 'CUSTOMER.LOGO_UNSUPPORTED_TYPE (type not allowed, or bytes not of the declared type)'],
  )
  async put(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Headers('content-type') contentTypeHeader: string | undefined,
    @IfMatch() ifMatch: number | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CustomerResponseDto> {
    const customerId = requireCustomerId(id);
    const contentType = logoContentType(contentTypeHeader);
    const bytes = await readLogoBody(req, contentType);
    const outcome = await this.handler.change({ actor, customerId, contentType, bytes, ifMatch });
    setWriteHeaders(res, outcome);
    return toCustomerResponse(outcome.customerId, outcome.state, outcome.version);
  }

  @Get(':id/logo')
  @ApiOperation({ summary: 'The customer logo image (F2)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces(...LOGO_CONTENT_TYPES)
  @ApiOkResponse({ description: 'The image', schema: { type: 'string', format: 'binary' } })
  @ApiProblems([404, 'CUSTOMER.NOT_FOUND, CUSTOMER.LOGO_NOT_FOUND'])
  async get(@CurrentActor() actor: AuthenticatedActor, @Param('id') id: string, @Res() res: Response): Promise<void> {
    const logo = await this.handler.get(actor, requireCustomerId(id));
    res.setHeader('Content-Type', logo.contentType);
    res.setHeader('ETag', `"${logo.sha256}"`);
    res.setHeader('Cache-Control', 'private, max-age=0, must-revalidate');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.status(200).end(logo.bytes);
  }

  @Delete(':id/logo')
  @Roles('global-admin', 'admin-agent')
  @ApiOperation({ summary: 'Remove the customer logo (F2)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: CustomerResponseDto, headers: WRITE_HEADERS_DOC })
  @ApiProblems([404, 'CUSTOMER.NOT_FOUND'], [409, 'CUSTOMER.CUSTOMER_MANAGED'], [412, 'REQUEST.PRECONDITION_FAILED'])
  async remove(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @IfMatch() ifMatch: number | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CustomerResponseDto> {
    const outcome = await this.handler.remove({ actor, customerId: requireCustomerId(id), ifMatch });
    setWriteHeaders(res, outcome);
    return toCustomerResponse(outcome.customerId, outcome.state, outcome.version);
  }
}
