import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles, type AuthenticatedActor } from '@platform/service-kit';
import type { Response } from 'express';
import { ApiProblems, FORBIDDEN_DOC, LOG_POSITION_DOC, requireId, setLogPosition } from '../reports/infrastructure/http';
import { CreateReportScheduleHandler } from './commands/create-report-schedule/create-report-schedule.handler';
import { CreateReportScheduleRequest, ReportScheduleListView, ReportScheduleView } from './commands/create-report-schedule/create-report-schedule.request';
import { DeleteReportScheduleHandler } from './commands/delete-report-schedule/delete-report-schedule.handler';
import { scheduleNotFound } from './domain/report-schedule.decider';
import { ListReportSchedulesQuery } from './queries/list-report-schedules/list-report-schedules.query';

/** F17 scheduled exports of the reports over all customers. */
@ApiTags('reports')
@Controller('api/v1/report-schedules')
export class ReportSchedulesHttpController {
  constructor(
    private readonly list: ListReportSchedulesQuery,
    private readonly create: CreateReportScheduleHandler,
    private readonly remove: DeleteReportScheduleHandler,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Report schedules of the partner (F17) with their next run' })
  @ApiOkResponse({ type: ReportScheduleListView })
  listSchedules(@CurrentActor() actor: AuthenticatedActor): Promise<ReportScheduleListView> {
    return this.list.execute(actor.partnerId);
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @Roles('global-admin', 'admin-agent')
  @ApiOperation({
    summary: 'Schedule the customer information or Cloud Backup job status report (F17)',
    description: 'Daily, weekly (dayOfWeek) or monthly (dayOfMonth) at a local time of an IANA time zone; each period’s export is sent once to the recipients.',
  })
  @ApiCreatedResponse({ type: ReportScheduleView, headers: LOG_POSITION_DOC })
  @ApiProblems([400, 'REQUEST.INVALID / REPORT_SCHEDULE.INVALID with the failing fields (timeZone, dayOfWeek, dayOfMonth, …)'], FORBIDDEN_DOC)
  async createSchedule(
    @CurrentActor() actor: AuthenticatedActor,
    @Body() body: CreateReportScheduleRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ReportScheduleView> {
    const { schedule, position } = await this.create.execute(actor, body);
    setLogPosition(res, position);
    res.setHeader('Location', `/api/v1/report-schedules/${schedule.id}`);
    return schedule;
  }

  @Delete(':scheduleId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Roles('global-admin', 'admin-agent')
  @ApiOperation({ summary: 'Delete a report schedule (F17)' })
  @ApiParam({ name: 'scheduleId', format: 'uuid' })
  @ApiNoContentResponse()
  @ApiProblems(FORBIDDEN_DOC, [404, 'REPORT_SCHEDULE.NOT_FOUND (unknown, deleted or another partner’s)'])
  async deleteSchedule(@CurrentActor() actor: AuthenticatedActor, @Param('scheduleId') scheduleId: string): Promise<void> {
    await this.remove.execute(actor, requireId(scheduleId, scheduleNotFound));
  }
}
