import { Controller, Delete, HttpCode, HttpStatus, Param, Put, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, IfMatch, Roles, type AuthenticatedActor } from '@platform/service-kit';
import type { Response } from 'express';
import { ApiProblems } from '../../../customers/infrastructure/customer-response';
import { LOG_POSITION_DOC, setLogPosition } from '../../../infrastructure/log-position';
import { PinCustomerHandler } from './pin-customer.handler';

/** F4: a partner user pins customers to its dashboard (the pinned list is `GET /api/v1/me/pinned-customers`). */
@ApiTags('customers')
@Controller('api/v1/customers')
export class PinCustomerHttpController {
  constructor(private readonly pins: PinCustomerHandler) {}

  @Put(':id/pin')
  @Roles('global-admin', 'admin-agent')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Pin a customer to your dashboard (F4); pinning a pinned customer changes nothing' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Pinned', headers: LOG_POSITION_DOC })
  @ApiProblems(
    [403, 'AUTH.FORBIDDEN: auditors are read-only'],
    [404, 'CUSTOMER.NOT_FOUND: unknown, disconnected or not your partner’s'],
    [409, 'PIN.LIMIT_REACHED: 100 customers pinned already'],
    [412, 'REQUEST.PRECONDITION_FAILED: If-Match is not the customer’s current ETag'],
  )
  async pin(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @IfMatch() ifMatch: number | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    setLogPosition(res, (await this.pins.pin(actor, id, ifMatch)).position);
  }

  @Delete(':id/pin')
  @Roles('global-admin', 'admin-agent')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Unpin a customer (F4); unpinning a customer that is not pinned changes nothing' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Not pinned (any more)', headers: LOG_POSITION_DOC })
  @ApiProblems(
    [403, 'AUTH.FORBIDDEN: auditors are read-only'],
    [404, 'CUSTOMER.NOT_FOUND: unknown or not your partner’s'],
    [412, 'REQUEST.PRECONDITION_FAILED: If-Match is not the customer’s current ETag'],
  )
  async unpin(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @IfMatch() ifMatch: number | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    setLogPosition(res, (await this.pins.unpin(actor, id, ifMatch)).position);
  }
}
