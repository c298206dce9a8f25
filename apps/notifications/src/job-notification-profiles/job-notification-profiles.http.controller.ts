import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { isUuid } from '@platform/core';
import { CurrentActor, IfMatch, Roles, setEntityTag, type AuthenticatedActor } from '@platform/service-kit';
import type { Response } from 'express';
import { profileNotFound } from '../shared/domain/profile-decider';
import { ApiProblems, FORBIDDEN_DOC } from '../shared/api-problems';
import { CreateJobNotificationProfileHandler } from './commands/create-job-notification-profile/create-job-notification-profile.handler';
import {
  JobNotificationProfileDto,
  JobNotificationProfileListDto,
  CreateJobNotificationProfileRequest,
  UpdateJobNotificationProfileRequest,
} from './commands/create-job-notification-profile/create-job-notification-profile.request';
import { DeleteJobNotificationProfileHandler } from './commands/delete-job-notification-profile/delete-job-notification-profile.handler';
import { UpdateJobNotificationProfileHandler } from './commands/update-job-notification-profile/update-job-notification-profile.handler';
import { jobNotificationProfileSpec } from './domain/job-notification-profile';
import { JobNotificationProfileRunner, toJobNotificationProfileDto } from './infrastructure/job-notification-profile.runner';
import { ListJobNotificationProfilesQuery } from './queries/list-job-notification-profiles/list-job-notification-profiles.query';

const NOT_FOUND_DOC: [number, string] = [404, 'JOB_NOTIFICATION_PROFILE.NOT_FOUND (unknown, deleted or another partner’s)'];

function requireProfileId(id: string): string {
  if (!isUuid(id)) throw profileNotFound(jobNotificationProfileSpec);
  return id.toLowerCase();
}

/** Job notification profiles (F2, F18): which job outcomes are emailed, to whom, how often. Writes: global-admin, admin-agent. */
@ApiTags('job-notification-profiles')
@Controller('api/v1/job-notification-profiles')
export class JobNotificationProfilesHttpController {
  constructor(
    private readonly createHandler: CreateJobNotificationProfileHandler,
    private readonly updateHandler: UpdateJobNotificationProfileHandler,
    private readonly deleteHandler: DeleteJobNotificationProfileHandler,
    private readonly runner: JobNotificationProfileRunner,
    private readonly list: ListJobNotificationProfilesQuery,
  ) {}

  @Post()
  @Roles('global-admin', 'admin-agent')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create a job notification profile (outcomes, recipients, digest interval)' })
  @ApiCreatedResponse({ type: JobNotificationProfileDto })
  @ApiProblems([400, 'REQUEST.INVALID with the failing fields'], FORBIDDEN_DOC)
  async create(
    @CurrentActor() actor: AuthenticatedActor,
    @Body() body: CreateJobNotificationProfileRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<JobNotificationProfileDto> {
    const outcome = await this.createHandler.execute(actor, body);
    setEntityTag(res, outcome.version);
    res.setHeader('Location', `/api/v1/job-notification-profiles/${outcome.profileId}`);
    return toJobNotificationProfileDto(outcome);
  }

  @Get()
  @ApiOperation({ summary: 'The partner’s job notification profiles, by name' })
  @ApiOkResponse({ type: JobNotificationProfileListDto })
  listProfiles(@CurrentActor() actor: AuthenticatedActor): Promise<JobNotificationProfileListDto> {
    return this.list.execute(actor.partnerId);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One job notification profile' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: JobNotificationProfileDto })
  @ApiProblems(NOT_FOUND_DOC)
  async get(@CurrentActor() actor: AuthenticatedActor, @Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<JobNotificationProfileDto> {
    const outcome = await this.runner.loadForPartner(actor.partnerId, requireProfileId(id));
    setEntityTag(res, outcome.version);
    return toJobNotificationProfileDto(outcome);
  }

  @Patch(':id')
  @Roles('global-admin', 'admin-agent')
  @ApiOperation({ summary: 'Change a job notification profile (only the fields given); If-Match guards against lost updates' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: JobNotificationProfileDto })
  @ApiProblems([400, 'REQUEST.INVALID with the failing fields'], FORBIDDEN_DOC, NOT_FOUND_DOC, [409, 'JOB_NOTIFICATION_PROFILE.CONCURRENT_UPDATE'], [412, 'REQUEST.PRECONDITION_FAILED'])
  async update(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Body() body: UpdateJobNotificationProfileRequest,
    @IfMatch() ifMatch: number | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<JobNotificationProfileDto> {
    const outcome = await this.updateHandler.execute(actor, requireProfileId(id), body, ifMatch);
    setEntityTag(res, outcome.version);
    return toJobNotificationProfileDto(outcome);
  }

  @Delete(':id')
  @Roles('global-admin', 'admin-agent')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a job notification profile; customers naming it get no job notifications until they name another' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse()
  @ApiProblems(FORBIDDEN_DOC, NOT_FOUND_DOC, [412, 'REQUEST.PRECONDITION_FAILED'])
  async remove(@CurrentActor() actor: AuthenticatedActor, @Param('id') id: string, @IfMatch() ifMatch: number | undefined): Promise<void> {
    await this.deleteHandler.execute(actor, requireProfileId(id), ifMatch);
  }
}
