import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles, type AuthenticatedActor } from '@platform/service-kit';
import type { Request, Response } from 'express';
import { ReadYourWritesInterceptor } from '../customer-list/read-your-writes.interceptor';
import { ApiProblems, LOG_POSITION_HEADER } from '../customers/infrastructure/customer-response';
import { LOG_POSITION_DOC, setLogPosition } from '../infrastructure/log-position';
import { requestKeyOf } from '../infrastructure/request-key';
import { ApplySettingTemplateToCustomersHandler } from './commands/apply-setting-template/apply-setting-template.handler';
import { ApplySettingTemplateRequest, ApplySettingTemplateResponse } from './commands/apply-setting-template/apply-setting-template.request';
import { CreateSettingTemplateHandler } from './commands/create-setting-template/create-setting-template.handler';
import { CreateSettingTemplateRequest } from './commands/create-setting-template/create-setting-template.request';
import { GetSettingTemplateQuery } from './queries/get-setting-template/get-setting-template.query';
import { SettingTemplateListResponse, SettingTemplateResponse } from './queries/get-setting-template/setting-template.response';
import { ListSettingTemplatesQuery } from './queries/list-setting-templates/list-setting-templates.query';

/** F5 setting templates: global admins create them and apply them to many customers at once. */
@ApiTags('setting-templates')
@Controller('api/v1/setting-templates')
export class SettingTemplatesHttpController {
  constructor(
    private readonly create: CreateSettingTemplateHandler,
    private readonly apply: ApplySettingTemplateToCustomersHandler,
    private readonly one: GetSettingTemplateQuery,
    private readonly list: ListSettingTemplatesQuery,
  ) {}

  @Post()
  @Roles('global-admin')
  @ApiOperation({ summary: 'Create a setting template: a named bundle of F2 settings and tags (F5, global-admin)' })
  @ApiCreatedResponse({
    type: SettingTemplateResponse,
    headers: { Location: { description: 'The template', schema: { type: 'string' } }, ...LOG_POSITION_DOC },
  })
  @ApiProblems(
    [400, 'REQUEST.INVALID, SETTING_TEMPLATE.INVALID with the failing fields'],
    [403, 'AUTH.FORBIDDEN: only global admins'],
  )
  async createTemplate(
    @CurrentActor() actor: AuthenticatedActor,
    @Body() body: CreateSettingTemplateRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SettingTemplateResponse> {
    const created = await this.create.execute({ actor, name: body.name, settings: { ...body.settings }, tags: body.tags });
    res.setHeader('Location', `/api/v1/setting-templates/${created.id}`);
    setLogPosition(res, created.position);
    return { id: created.id, name: created.name, settings: created.settings, tags: created.tags, createdAt: created.createdAt };
  }

  @Get()
  @UseInterceptors(ReadYourWritesInterceptor)
  @ApiOperation({ summary: "The partner's setting templates, by name (F5)" })
  @ApiHeader({ name: 'X-Min-Position', required: false, description: `Read-your-writes: the ${LOG_POSITION_HEADER} of a template creation` })
  @ApiOkResponse({ type: SettingTemplateListResponse })
  listTemplates(@CurrentActor() actor: AuthenticatedActor): Promise<SettingTemplateListResponse> {
    return this.list.execute(actor.partnerId);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One setting template of the partner (F5)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: SettingTemplateResponse })
  @ApiProblems([404, 'SETTING_TEMPLATE.NOT_FOUND: unknown or another partner’s'])
  getTemplate(@CurrentActor() actor: AuthenticatedActor, @Param('id') id: string): Promise<SettingTemplateResponse> {
    return this.one.execute(actor.partnerId, id);
  }

  @Post(':id\\:apply')
  @Roles('global-admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Apply a setting template to 1–100 customers (F5, global-admin)',
    description:
      'Each customer is changed on its own (SettingTemplateApplied on its history); the answer lists every customer as applied or failed with the reason. ' +
      'A retry with the same Idempotency-Key applies nothing twice.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ApplySettingTemplateResponse, headers: LOG_POSITION_DOC })
  @ApiProblems(
    [400, 'REQUEST.INVALID: customerIds must be 1–100 distinct UUIDs'],
    [403, 'AUTH.FORBIDDEN: only global admins'],
    [404, 'SETTING_TEMPLATE.NOT_FOUND: unknown or another partner’s'],
  )
  async applyTemplate(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Body() body: ApplySettingTemplateRequest,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ApplySettingTemplateResponse> {
    const outcome = await this.apply.execute({ actor, templateId: id, customerIds: body.customerIds, requestKey: requestKeyOf(req) });
    setLogPosition(res, outcome.position);
    const applied = outcome.results.filter((r) => r.status === 'applied').length;
    return { templateId: outcome.templateId, applied, failed: outcome.results.length - applied, results: outcome.results };
  }
}
