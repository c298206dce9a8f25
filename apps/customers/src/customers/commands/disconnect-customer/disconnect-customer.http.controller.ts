import { Body, Controller, Delete, HttpCode, HttpStatus, Param, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, IfMatch, Roles, type AuthenticatedActor } from '@platform/service-kit';
import type { Response } from 'express';
import { ApiProblems, WRITE_HEADERS_DOC, requireCustomerId, setWriteHeaders } from '../../infrastructure/customer-response';
import { DisconnectCustomerHandler } from './disconnect-customer.handler';
import { DisconnectCustomerRequest } from './disconnect-customer.request';

@ApiTags('customers')
@Controller('api/v1/customers')
export class DisconnectCustomerHttpController {
  constructor(private readonly handler: DisconnectCustomerHandler) {}

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Roles('global-admin')
  @ApiOperation({
    summary: 'Disconnect the customer (F6, global-admin)',
    description:
      'Body `{"confirmation": "Yes"}` exactly. Permanently deletes the partner-portal data of the customer (read models, logo, personal data: its data key is shredded); its history stays for auditors with personal data erased.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Disconnected', headers: WRITE_HEADERS_DOC })
  @ApiProblems(
    [400, 'CUSTOMER.CONFIRMATION_REQUIRED (field confirmation), REQUEST.INVALID'],
    [403, 'AUTH.FORBIDDEN (not global-admin)'],
    [404, 'CUSTOMER.NOT_FOUND, CUSTOMER.ALREADY_DISCONNECTED'],
    [409, 'CUSTOMER.CONCURRENT_UPDATE'],
    [412, 'REQUEST.PRECONDITION_FAILED'],
  )
  async disconnect(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Body() body: DisconnectCustomerRequest,
    @IfMatch() ifMatch: number | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const outcome = await this.handler.execute({ actor, customerId: requireCustomerId(id), confirmation: body.confirmation, ifMatch });
    setWriteHeaders(res, outcome);
  }
}
