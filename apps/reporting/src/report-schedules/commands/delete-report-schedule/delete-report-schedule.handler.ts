import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '@platform/core';
import type { EventStore } from '@platform/event-store';
import { EVENT_STORE, eventMetadataFor, type AuthenticatedActor } from '@platform/service-kit';
import { runDecider } from '../../../reports/infrastructure/decider-runner';
import { REPORTING_CLOCK } from '../../../reports/infrastructure/reporting-clock';
import { reportScheduleDecider, ReportScheduleErrorCode } from '../../domain/report-schedule.decider';
import { reportScheduleStreamId } from '../../domain/report-schedule.events';

/** F17: stop a schedule (exports already sent stay). */
@Injectable()
export class DeleteReportScheduleHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(REPORTING_CLOCK) private readonly clock: Clock,
  ) {}

  async execute(actor: AuthenticatedActor, scheduleId: string): Promise<bigint | undefined> {
    const outcome = await runDecider(
      this.store,
      reportScheduleStreamId(scheduleId),
      reportScheduleDecider,
      { type: 'DeleteReportSchedule', data: { partnerId: actor.partnerId, scheduleId } },
      eventMetadataFor(actor, this.clock),
      ReportScheduleErrorCode.CONCURRENT_UPDATE,
    );
    return outcome.position;
  }
}
