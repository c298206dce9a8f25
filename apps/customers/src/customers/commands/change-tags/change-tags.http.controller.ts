import { Body, Controller, Param, Put, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, IfMatch, Roles, type AuthenticatedActor } from '@platform/service-kit';
import type { Response } from 'express';
import {
  ApiProblems,
  CustomerResponseDto,
  WRITE_HEADERS_DOC,
  requireCustomerId,
  setWriteHeaders,
  toCustomerResponse,
} from '../../infrastructure/customer-response';
import { ChangeTagsHandler } from './change-tags.handler';
import { ChangeTagsRequest } from './change-tags.request';

@ApiTags('customers')
@Controller('api/v1/customers')
export class ChangeTagsHttpController {
  constructor(private readonly handler: ChangeTagsHandler) {}

  @Put(':id/tags')
  @Roles('global-admin', 'admin-agent')
  @ApiOperation({ summary: 'Set the customer’s tags (F5)', description: 'Replaces the tag set (trimmed, duplicates dropped, at most 50).' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: CustomerResponseDto, headers: WRITE_HEADERS_DOC })
  @ApiProblems(
    [400, 'REQUEST.INVALID, CUSTOMER.INVALID with the failing fields'],
    [404, 'CUSTOMER.NOT_FOUND'],
    [409, 'CUSTOMER.CUSTOMER_MANAGED, CUSTOMER.CONCURRENT_UPDATE'],
    [412, 'REQUEST.PRECONDITION_FAILED'],
  )
  async change(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Body() body: ChangeTagsRequest,
    @IfMatch() ifMatch: number | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CustomerResponseDto> {
    const outcome = await this.handler.execute({ actor, customerId: requireCustomerId(id), tags: body.tags, ifMatch });
    setWriteHeaders(res, outcome);
    return toCustomerResponse(outcome.customerId, outcome.state, outcome.version);
  }
}
