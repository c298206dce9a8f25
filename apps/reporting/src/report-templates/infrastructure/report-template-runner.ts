import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '@platform/core';
import type { EventStore } from '@platform/event-store';
import { CustomerDirectory } from '@platform/customer-directory';
import { EVENT_STORE, eventMetadataFor, type AuthenticatedActor } from '@platform/service-kit';
import { REPORTING_CLOCK } from '../../reports/infrastructure/reporting-clock';
import { loadState, runDecider, type DecisionOutcome } from '../../reports/infrastructure/decider-runner';
import {
  reportTemplateDecider,
  ReportTemplateErrorCode,
  ReportTemplateValidationError,
  templateNotFound,
  type ReportTemplateCommand,
  type ReportTemplateState,
} from '../domain/report-template.decider';
import { reportTemplateStreamId, type ReportTemplateEvent } from '../domain/report-template.events';
import type { ReportTemplateView } from '../queries/list-report-templates/report-template.view';

export type ActiveTemplate = Exclude<ReportTemplateState, { status: 'none' }>;

export const templateView = (t: Extract<ReportTemplateState, { status: 'active' | 'deleted' }>): ReportTemplateView => ({
  id: t.templateId,
  name: t.name,
  description: t.description,
  sections: t.sections,
  details: t.details,
  customerIds: t.customerIds,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
});

/** Runs template commands over `reporttemplate-<id>` and reads one template, consistently, from its stream. */
@Injectable()
export class ReportTemplateRunner {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(REPORTING_CLOCK) private readonly clock: Clock,
    private readonly directory: CustomerDirectory,
  ) {}

  async run(actor: AuthenticatedActor, command: ReportTemplateCommand): Promise<DecisionOutcome<ReportTemplateEvent, ReportTemplateState>> {
    if (command.type !== 'DeleteReportTemplate') await this.checkCustomers(actor.partnerId, command.data.customerIds);
    return runDecider(
      this.store,
      reportTemplateStreamId(command.data.templateId),
      reportTemplateDecider,
      command,
      eventMetadataFor(actor, this.clock),
      ReportTemplateErrorCode.CONCURRENT_UPDATE,
    );
  }

  /** The partner's live template, or 404. */
  async get(partnerId: string, templateId: string): Promise<ActiveTemplate> {
    const { state } = await loadState(this.store, reportTemplateStreamId(templateId), reportTemplateDecider);
    if (state.status !== 'active' || state.partnerId !== partnerId) throw templateNotFound();
    return state;
  }

  /** Fixed customers must be the partner's own, connected ones (others' are "unknown": no hint they exist). */
  private async checkCustomers(partnerId: string, customerIds: string[]): Promise<void> {
    const problems: Array<{ field: string; message: string }> = [];
    for (const [i, id] of customerIds.entries()) {
      const customer = await this.directory.getForPartner(partnerId, id.toLowerCase());
      if (!customer || customer.status === 'disconnected') problems.push({ field: `customerIds.${i}`, message: 'is not a customer of this partner' });
    }
    if (problems.length > 0) throw new ReportTemplateValidationError(problems);
  }
}
