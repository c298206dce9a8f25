import { Injectable } from '@nestjs/common';
import type { AuthenticatedActor } from '@platform/service-kit';
import { ReportTemplateRunner } from '../../infrastructure/report-template-runner';

/** F15: delete a template (reports generated from it stay). */
@Injectable()
export class DeleteReportTemplateHandler {
  constructor(private readonly runner: ReportTemplateRunner) {}

  async execute(actor: AuthenticatedActor, templateId: string): Promise<void> {
    await this.runner.run(actor, { type: 'DeleteReportTemplate', data: { partnerId: actor.partnerId, templateId } });
  }
}
