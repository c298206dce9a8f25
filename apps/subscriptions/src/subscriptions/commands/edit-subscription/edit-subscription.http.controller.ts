import { Body, Controller, Param, Patch, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { isUuid } from '@platform/core';
import { CurrentActor, IfMatch, Roles, setEntityTag, type AuthenticatedActor } from '@platform/service-kit';
import type { Response } from 'express';
import { subscriptionNotFound } from '../../domain/subscription.errors';
import type { SubscriptionChanges } from '../../domain/subscription.decider';
import { requireCustomerId } from '../../infrastructure/customer-access';
import { ApiProblems, FORBIDDEN_DOC, NOT_FOUND_DOC, WRITE_HEADERS_DOC, setLogPosition } from '../../infrastructure/http-docs';
import { ServiceView, toServiceView } from '../../queries/list-customer-services/service-view';
import { EditSubscriptionHandler } from './edit-subscription.handler';
import { EditSubscriptionRequest } from './edit-subscription.request';

function changesOf(body: EditSubscriptionRequest): SubscriptionChanges {
  const changes: SubscriptionChanges = {};
  if (body.quantity !== undefined) changes.quantity = body.quantity;
  if (body.termEndsAt !== undefined) changes.termEndsAt = body.termEndsAt;
  if (body.autoRenew !== undefined) changes.autoRenew = body.autoRenew;
  return changes;
}

@ApiTags('subscriptions')
@Controller('api/v1/customers')
export class EditSubscriptionHttpController {
  constructor(private readonly handler: EditSubscriptionHandler) {}

  @Patch(':id/services/:sid')
  @Roles('global-admin', 'admin-agent')
  @ApiOperation({
    summary: 'Edit a subscription: quantity, term end, renewal (F11)',
    description: 'Only the given fields change; saving the current values records nothing. `If-Match: W/"<version>"` guards against lost updates.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'sid', format: 'uuid', description: 'Subscription id' })
  @ApiOkResponse({ type: ServiceView, headers: WRITE_HEADERS_DOC })
  @ApiProblems(
    [400, 'REQUEST.INVALID, SUBSCRIPTION.INVALID with the failing fields'],
    FORBIDDEN_DOC,
    NOT_FOUND_DOC,
    [404, 'SUBSCRIPTION.NOT_FOUND'],
    [409, 'SUBSCRIPTION.EXPIRED, SUBSCRIPTION.CONCURRENT_UPDATE, CUSTOMER.CUSTOMER_MANAGED, CUSTOMER.NOT_ACTIVE'],
    [412, 'REQUEST.PRECONDITION_FAILED'],
  )
  async edit(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Param('sid') sid: string,
    @Body() body: EditSubscriptionRequest,
    @IfMatch() ifMatch: number | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ServiceView> {
    const customerId = requireCustomerId(id);
    if (!isUuid(sid)) throw subscriptionNotFound();
    const outcome = await this.handler.execute({ actor, customerId, subscriptionId: sid.toLowerCase(), changes: changesOf(body), ifMatch });
    setEntityTag(res, outcome.version);
    setLogPosition(res, outcome.position);
    return toServiceView(outcome.state, outcome.version);
  }
}
