import { decideReportSchedule, initialReportScheduleState, ReportScheduleErrorCode } from './report-schedule.decider';
import type { ReportScheduleDefinition } from './report-schedule.events';

const def = (over: Partial<ReportScheduleDefinition> = {}): ReportScheduleDefinition => ({
  name: 'Weekly',
  reportKind: 'job-status',
  format: 'xlsx',
  details: false,
  product: null,
  fileName: null,
  recipients: ['Ops@partner.example.com', 'ops@partner.example.com'],
  recurrence: { frequency: 'weekly', dayOfWeek: 1, time: '08:00', timeZone: 'Europe/Rome' },
  ...over,
});

describe('report schedule decider (F17)', () => {
  it('creates with recipients deduplicated', () => {
    const d = decideReportSchedule({ type: 'CreateReportSchedule', data: { partnerId: 'p1', scheduleId: 's1', ...def() } }, initialReportScheduleState());
    if (!d.ok) throw d.error;
    expect(d.value[0].data).toMatchObject({ scheduleId: 's1', recipients: ['ops@partner.example.com'] });
  });

  it('refuses a bad zone, a missing weekday and a product on the customer information report', () => {
    const d = decideReportSchedule(
      {
        type: 'CreateReportSchedule',
        data: { partnerId: 'p1', scheduleId: 's1', ...def({ reportKind: 'customer-information', product: 'cloud-backup-m365', recurrence: { frequency: 'weekly', time: '08:00', timeZone: 'CEST' } }) },
      },
      initialReportScheduleState(),
    );
    if (d.ok) throw new Error('expected a refusal');
    expect(d.error.code).toBe(ReportScheduleErrorCode.INVALID);
    expect((d.error.details as { fields: Array<{ field: string }> }).fields.map((f) => f.field).sort()).toEqual(['dayOfWeek', 'product', 'timeZone']);
  });

  it('deleting another partner’s schedule is not found', () => {
    const d = decideReportSchedule({ type: 'DeleteReportSchedule', data: { partnerId: 'p2', scheduleId: 's1' } }, initialReportScheduleState());
    expect(d.ok ? null : d.error.code).toBe(ReportScheduleErrorCode.NOT_FOUND);
  });
});
