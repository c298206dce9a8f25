import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles, type AuthenticatedActor } from '@platform/service-kit';
import type { Request, Response } from 'express';
import { ApiProblems, requireCustomerId, requireJsonBodyIfAny } from '../../../customers/infrastructure/customer-response';
import { LOG_POSITION_DOC, setLogPosition } from '../../../infrastructure/log-position';
import { requestKeyOf } from '../../../infrastructure/request-key';
import { OpenAccessSessionHandler } from './open-access-session.handler';
import { AccessSessionResponse, OpenAccessSessionRequest } from './open-access-session.request';

@ApiTags('customers')
@Controller('api/v1/customers')
export class OpenAccessSessionHttpController {
  constructor(private readonly handler: OpenAccessSessionHandler) {}

  @Post(':id/access-sessions')
  @Roles('global-admin', 'admin-agent')
  @ApiOperation({
    summary: "Open the customer's service environment (F8)",
    description:
      'Issues a 15-minute delegated-access token for this one customer and ends your other open customer session. ' +
      "Every access is recorded in the customer's history (CustomerAccessSessionOpened).",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: AccessSessionResponse, headers: LOG_POSITION_DOC })
  @ApiProblems(
    [400, 'REQUEST.INVALID: the body, if any, must be {}'],
    [403, 'AUTH.FORBIDDEN: auditors may not open sessions'],
    [404, 'CUSTOMER.NOT_FOUND: unknown, disconnected or another partner’s'],
    [409, 'CUSTOMER.CUSTOMER_MANAGED (customer management mode), CUSTOMER.NOT_ACTIVE (invitation not accepted), CUSTOMER.CONCURRENT_UPDATE'],
    [415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE (a body that is not JSON)'],
  )
  async open(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Body() _body: OpenAccessSessionRequest,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AccessSessionResponse> {
    requireJsonBodyIfAny(req);
    const { position, ...session } = await this.handler.execute({ actor, customerId: requireCustomerId(id), requestKey: requestKeyOf(req) });
    setLogPosition(res, position);
    return session;
  }
}
