import { Injectable } from '@nestjs/common';
import { uuidv7 } from '@platform/core';
import type { AuthenticatedActor } from '@platform/service-kit';
import { ReportTemplateRunner, templateView } from '../../infrastructure/report-template-runner';
import type { ReportTemplateView } from '../../queries/list-report-templates/report-template.view';
import type { ReportTemplateRequest } from './report-template.request';

/** F15: a partner user creates a report template. */
@Injectable()
export class CreateReportTemplateHandler {
  constructor(private readonly runner: ReportTemplateRunner) {}

  async execute(actor: AuthenticatedActor, body: ReportTemplateRequest): Promise<{ template: ReportTemplateView; position?: bigint }> {
    const templateId = uuidv7();
    const outcome = await this.runner.run(actor, {
      type: 'CreateReportTemplate',
      data: {
        partnerId: actor.partnerId,
        templateId,
        name: body.name,
        description: body.description ?? null,
        sections: body.sections,
        details: body.details ?? false,
        customerIds: body.customerIds ?? [],
      },
    });
    if (outcome.state.status === 'none') throw new Error('a created template has state');
    return { template: templateView(outcome.state), position: outcome.position };
  }
}
