import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { isUuid } from '@platform/core';
import { CurrentActor, IfMatch, Roles, setEntityTag, type AuthenticatedActor } from '@platform/service-kit';
import type { Response } from 'express';
import { profileNotFound } from '../shared/domain/profile-decider';
import { ApiProblems, FORBIDDEN_DOC } from '../shared/api-problems';
import { CreateBillingProfileHandler } from './commands/create-billing-profile/create-billing-profile.handler';
import {
  BillingProfileDto,
  BillingProfileListDto,
  CreateBillingProfileRequest,
  UpdateBillingProfileRequest,
} from './commands/create-billing-profile/create-billing-profile.request';
import { DeleteBillingProfileHandler } from './commands/delete-billing-profile/delete-billing-profile.handler';
import { UpdateBillingProfileHandler } from './commands/update-billing-profile/update-billing-profile.handler';
import { billingProfileSpec } from './domain/billing-profile';
import { BillingProfileRunner, toBillingProfileDto } from './infrastructure/billing-profile.runner';
import { ListBillingProfilesQuery } from './queries/list-billing-profiles/list-billing-profiles.query';

const NOT_FOUND_DOC: [number, string] = [404, 'BILLING_PROFILE.NOT_FOUND (unknown, deleted or another partner’s)'];

function requireProfileId(id: string): string {
  if (!isUuid(id)) throw profileNotFound(billingProfileSpec);
  return id.toLowerCase();
}

/** Billing profiles (F2, F18): when customers' billing reports are sent. Writes: global-admin, admin-agent. */
@ApiTags('billing-profiles')
@Controller('api/v1/billing-profiles')
export class BillingProfilesHttpController {
  constructor(
    private readonly createHandler: CreateBillingProfileHandler,
    private readonly updateHandler: UpdateBillingProfileHandler,
    private readonly deleteHandler: DeleteBillingProfileHandler,
    private readonly runner: BillingProfileRunner,
    private readonly list: ListBillingProfilesQuery,
  ) {}

  @Post()
  @Roles('global-admin', 'admin-agent')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create a billing profile (monthly or yearly send day)' })
  @ApiCreatedResponse({ type: BillingProfileDto })
  @ApiProblems([400, 'REQUEST.INVALID with the failing fields'], FORBIDDEN_DOC)
  async create(
    @CurrentActor() actor: AuthenticatedActor,
    @Body() body: CreateBillingProfileRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BillingProfileDto> {
    const outcome = await this.createHandler.execute(actor, body);
    setEntityTag(res, outcome.version);
    res.setHeader('Location', `/api/v1/billing-profiles/${outcome.profileId}`);
    return toBillingProfileDto(outcome);
  }

  @Get()
  @ApiOperation({ summary: 'The partner’s billing profiles, by name' })
  @ApiOkResponse({ type: BillingProfileListDto })
  listProfiles(@CurrentActor() actor: AuthenticatedActor): Promise<BillingProfileListDto> {
    return this.list.execute(actor.partnerId);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One billing profile' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: BillingProfileDto })
  @ApiProblems(NOT_FOUND_DOC)
  async get(@CurrentActor() actor: AuthenticatedActor, @Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<BillingProfileDto> {
    const outcome = await this.runner.loadForPartner(actor.partnerId, requireProfileId(id));
    setEntityTag(res, outcome.version);
    return toBillingProfileDto(outcome);
  }

  @Patch(':id')
  @Roles('global-admin', 'admin-agent')
  @ApiOperation({ summary: 'Change a billing profile (only the fields given); If-Match guards against lost updates' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: BillingProfileDto })
  @ApiProblems([400, 'REQUEST.INVALID with the failing fields'], FORBIDDEN_DOC, NOT_FOUND_DOC, [409, 'BILLING_PROFILE.CONCURRENT_UPDATE'], [412, 'REQUEST.PRECONDITION_FAILED'])
  async update(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Body() body: UpdateBillingProfileRequest,
    @IfMatch() ifMatch: number | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BillingProfileDto> {
    const outcome = await this.updateHandler.execute(actor, requireProfileId(id), body, ifMatch);
    setEntityTag(res, outcome.version);
    return toBillingProfileDto(outcome);
  }

  @Delete(':id')
  @Roles('global-admin', 'admin-agent')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a billing profile; customers naming it get no billing report until they name another' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse()
  @ApiProblems(FORBIDDEN_DOC, NOT_FOUND_DOC, [412, 'REQUEST.PRECONDITION_FAILED'])
  async remove(@CurrentActor() actor: AuthenticatedActor, @Param('id') id: string, @IfMatch() ifMatch: number | undefined): Promise<void> {
    await this.deleteHandler.execute(actor, requireProfileId(id), ifMatch);
  }
}
