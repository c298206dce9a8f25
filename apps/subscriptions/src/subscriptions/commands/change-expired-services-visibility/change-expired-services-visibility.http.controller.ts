import { Body, Controller, Param, Put, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentActor, IfMatch, Roles, setEntityTag, type AuthenticatedActor } from '@platform/service-kit';
import type { Response } from 'express';
import { requireCustomerId } from '../../infrastructure/customer-access';
import { ApiProblems, FORBIDDEN_DOC, NOT_FOUND_DOC, WRITE_HEADERS_DOC, setLogPosition } from '../../infrastructure/http-docs';
import { ChangeExpiredServicesVisibilityHandler } from './change-expired-services-visibility.handler';
import { ChangeExpiredServicesVisibilityRequest } from './change-expired-services-visibility.request';

export class ExpiredServicesVisibilityView {
  @ApiProperty({ format: 'uuid' }) customerId!: string;
  @ApiProperty() hidden!: boolean;
  @ApiProperty({ description: 'Version of the setting; the ETag is W/"<version>"' }) version!: number;
}

@ApiTags('subscriptions')
@Controller('api/v1/customers')
export class ChangeExpiredServicesVisibilityHttpController {
  constructor(private readonly handler: ChangeExpiredServicesVisibilityHandler) {}

  @Put(':id/expired-services-visibility')
  @Roles('global-admin', 'admin-agent')
  @ApiOperation({ summary: 'Hide or show the customer’s expired services (F11)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ExpiredServicesVisibilityView, headers: WRITE_HEADERS_DOC })
  @ApiProblems([400, 'REQUEST.INVALID with the failing fields'], FORBIDDEN_DOC, NOT_FOUND_DOC, [409, 'SUBSCRIPTION.CONCURRENT_UPDATE'], [412, 'REQUEST.PRECONDITION_FAILED'])
  async change(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Body() body: ChangeExpiredServicesVisibilityRequest,
    @IfMatch() ifMatch: number | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ExpiredServicesVisibilityView> {
    const customerId = requireCustomerId(id);
    const outcome = await this.handler.execute({ actor, customerId, hidden: body.hidden, ifMatch });
    setEntityTag(res, outcome.version);
    setLogPosition(res, outcome.position);
    return { customerId, hidden: outcome.state.expiredHidden, version: outcome.version };
  }
}
