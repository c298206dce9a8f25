import { Inject, Injectable } from '@nestjs/common';
import { uuidv7, type Clock } from '@platform/core';
import type { EventStore } from '@platform/event-store';
import { EVENT_STORE, eventMetadataFor, type AuthenticatedActor } from '@platform/service-kit';
import { runDecider } from '../../../reports/infrastructure/decider-runner';
import { REPORTING_CLOCK } from '../../../reports/infrastructure/reporting-clock';
import { nextOccurrence } from '../../domain/recurrence';
import { reportScheduleDecider, ReportScheduleErrorCode, type ReportScheduleState } from '../../domain/report-schedule.decider';
import { reportScheduleStreamId } from '../../domain/report-schedule.events';
import type { CreateReportScheduleRequest, ReportScheduleView } from './create-report-schedule.request';

export function scheduleView(s: Exclude<ReportScheduleState, { status: 'none' }>, nextRunAt: string | null, lastPeriod: string | null): ReportScheduleView {
  const r = s.recurrence;
  return {
    id: s.scheduleId,
    name: s.name,
    reportKind: s.reportKind,
    format: s.format,
    details: s.details,
    product: s.product,
    fileName: s.fileName,
    recipients: s.recipients,
    frequency: r.frequency,
    time: r.time,
    timeZone: r.timeZone,
    ...(r.dayOfWeek !== undefined ? { dayOfWeek: r.dayOfWeek } : {}),
    ...(r.dayOfMonth !== undefined ? { dayOfMonth: r.dayOfMonth } : {}),
    createdAt: s.createdAt,
    nextRunAt,
    lastPeriod,
  };
}

/** F17: schedule an export over all customers to recipients. */
@Injectable()
export class CreateReportScheduleHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(REPORTING_CLOCK) private readonly clock: Clock,
  ) {}

  async execute(actor: AuthenticatedActor, body: CreateReportScheduleRequest): Promise<{ schedule: ReportScheduleView; position?: bigint }> {
    const scheduleId = uuidv7();
    const outcome = await runDecider(
      this.store,
      reportScheduleStreamId(scheduleId),
      reportScheduleDecider,
      {
        type: 'CreateReportSchedule',
        data: {
          partnerId: actor.partnerId,
          scheduleId,
          name: body.name,
          reportKind: body.reportKind,
          format: body.format,
          details: body.details ?? false,
          product: body.product ?? null,
          fileName: body.fileName ?? null,
          recipients: body.recipients,
          recurrence: {
            frequency: body.frequency,
            time: body.time,
            timeZone: body.timeZone,
            ...(body.dayOfWeek !== undefined ? { dayOfWeek: body.dayOfWeek } : {}),
            ...(body.dayOfMonth !== undefined ? { dayOfMonth: body.dayOfMonth } : {}),
          },
        },
      },
      eventMetadataFor(actor, this.clock),
      ReportScheduleErrorCode.CONCURRENT_UPDATE,
    );
    const s = outcome.state;
    if (s.status === 'none') throw new Error('a created schedule has state');
    return { schedule: scheduleView(s, nextOccurrence(s.recurrence, new Date(s.createdAt)).toISOString(), null), position: outcome.position };
  }
}
