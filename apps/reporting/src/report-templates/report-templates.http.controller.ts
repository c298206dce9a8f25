import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles, type AuthenticatedActor } from '@platform/service-kit';
import type { Response } from 'express';
import { ApiProblems, FORBIDDEN_DOC, LOG_POSITION_DOC, requireId, setLogPosition } from '../reports/infrastructure/http';
import { CreateReportTemplateHandler } from './commands/create-report-template/create-report-template.handler';
import { ReportTemplateRequest } from './commands/create-report-template/report-template.request';
import { DeleteReportTemplateHandler } from './commands/delete-report-template/delete-report-template.handler';
import { UpdateReportTemplateHandler } from './commands/update-report-template/update-report-template.handler';
import { templateNotFound } from './domain/report-template.decider';
import { ReportTemplateRunner, templateView } from './infrastructure/report-template-runner';
import { ListReportTemplatesQuery } from './queries/list-report-templates/list-report-templates.query';
import { ReportTemplateListView, ReportTemplateView } from './queries/list-report-templates/report-template.view';

const NOT_FOUND_DOC: [number, string] = [404, 'REPORT_TEMPLATE.NOT_FOUND (unknown, deleted or another partner’s)'];
const INVALID_DOC: [number, string] = [400, 'REQUEST.INVALID / REPORT_TEMPLATE.INVALID with the failing fields (customerIds.N: not this partner’s customer)'];

/** F15 report templates of the caller's partner. */
@ApiTags('reports')
@Controller('api/v1/report-templates')
export class ReportTemplatesHttpController {
  constructor(
    private readonly list: ListReportTemplatesQuery,
    private readonly runner: ReportTemplateRunner,
    private readonly create: CreateReportTemplateHandler,
    private readonly update: UpdateReportTemplateHandler,
    private readonly remove: DeleteReportTemplateHandler,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Report templates (F15); `withoutCustomers=true` lists those a report can be generated from for any customer' })
  @ApiQuery({ name: 'withoutCustomers', required: false, type: Boolean })
  @ApiOkResponse({ type: ReportTemplateListView })
  listTemplates(@CurrentActor() actor: AuthenticatedActor, @Query('withoutCustomers') withoutCustomers?: string): Promise<ReportTemplateListView> {
    return this.list.execute(actor.partnerId, { withoutCustomers: withoutCustomers === 'true' });
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @Roles('global-admin', 'admin-agent')
  @ApiOperation({ summary: 'Create a report template (F15)' })
  @ApiCreatedResponse({ type: ReportTemplateView, headers: LOG_POSITION_DOC })
  @ApiProblems(INVALID_DOC, FORBIDDEN_DOC)
  async createTemplate(
    @CurrentActor() actor: AuthenticatedActor,
    @Body() body: ReportTemplateRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ReportTemplateView> {
    const { template, position } = await this.create.execute(actor, body);
    setLogPosition(res, position);
    res.setHeader('Location', `/api/v1/report-templates/${template.id}`);
    return template;
  }

  @Get(':templateId')
  @ApiOperation({ summary: 'One report template (F15)' })
  @ApiParam({ name: 'templateId', format: 'uuid' })
  @ApiOkResponse({ type: ReportTemplateView })
  @ApiProblems(NOT_FOUND_DOC)
  async getTemplate(@CurrentActor() actor: AuthenticatedActor, @Param('templateId') templateId: string): Promise<ReportTemplateView> {
    return templateView(await this.runner.get(actor.partnerId, requireId(templateId, templateNotFound)));
  }

  @Put(':templateId')
  @Roles('global-admin', 'admin-agent')
  @ApiOperation({ summary: 'Replace a report template’s definition (F15)' })
  @ApiParam({ name: 'templateId', format: 'uuid' })
  @ApiOkResponse({ type: ReportTemplateView, headers: LOG_POSITION_DOC })
  @ApiProblems(INVALID_DOC, FORBIDDEN_DOC, NOT_FOUND_DOC, [409, 'REPORT_TEMPLATE.CONCURRENT_UPDATE'])
  async updateTemplate(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('templateId') templateId: string,
    @Body() body: ReportTemplateRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ReportTemplateView> {
    const { template, position } = await this.update.execute(actor, requireId(templateId, templateNotFound), body);
    setLogPosition(res, position);
    return template;
  }

  @Delete(':templateId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Roles('global-admin', 'admin-agent')
  @ApiOperation({ summary: 'Delete a report template (F15)' })
  @ApiParam({ name: 'templateId', format: 'uuid' })
  @ApiNoContentResponse()
  @ApiProblems(FORBIDDEN_DOC, NOT_FOUND_DOC)
  async deleteTemplate(@CurrentActor() actor: AuthenticatedActor, @Param('templateId') templateId: string): Promise<void> {
    await this.remove.execute(actor, requireId(templateId, templateNotFound));
  }
}
