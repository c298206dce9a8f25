import { Injectable } from '@nestjs/common';
import type { AuthenticatedActor } from '@platform/service-kit';
import { ReportTemplateRunner, templateView } from '../../infrastructure/report-template-runner';
import type { ReportTemplateView } from '../../queries/list-report-templates/report-template.view';
import type { ReportTemplateRequest } from '../create-report-template/report-template.request';

/** F15: replace a template's definition (no event when nothing changes). */
@Injectable()
export class UpdateReportTemplateHandler {
  constructor(private readonly runner: ReportTemplateRunner) {}

  async execute(actor: AuthenticatedActor, templateId: string, body: ReportTemplateRequest): Promise<{ template: ReportTemplateView; position?: bigint }> {
    const outcome = await this.runner.run(actor, {
      type: 'UpdateReportTemplate',
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
    if (outcome.state.status === 'none') throw new Error('an updated template has state');
    return { template: templateView(outcome.state), position: outcome.position };
  }
}
