import { ConflictError, err, NotFoundError, ok, ValidationError, type CodedError, type Result } from '@platform/core';
import { recurrenceProblems } from './recurrence';
import { SCHEDULED_REPORT_KINDS, type ReportScheduleDefinition, type ReportScheduleEvent } from './report-schedule.events';

export const ReportScheduleErrorCode = {
  NOT_FOUND: 'REPORT_SCHEDULE.NOT_FOUND',
  ALREADY_EXISTS: 'REPORT_SCHEDULE.ALREADY_EXISTS',
  INVALID: 'REPORT_SCHEDULE.INVALID',
  CONCURRENT_UPDATE: 'REPORT_SCHEDULE.CONCURRENT_UPDATE',
} as const;

export const SCHEDULE_RECIPIENTS_MAX = 50;
export const SCHEDULE_NAME_MAX = 128;

export class ReportScheduleValidationError extends ValidationError {
  override readonly code: string = ReportScheduleErrorCode.INVALID;
  constructor(fields: Array<{ field: string; message: string }>) {
    super('The report schedule is invalid.', fields);
  }
}

export const scheduleNotFound = (): NotFoundError => new NotFoundError(ReportScheduleErrorCode.NOT_FOUND, 'Report schedule not found.');

export type ReportScheduleState =
  | { status: 'none' }
  | ({ status: 'active' | 'deleted'; scheduleId: string; partnerId: string; createdAt: string } & ReportScheduleDefinition);

export const initialReportScheduleState = (): ReportScheduleState => ({ status: 'none' });

type Envelope = ReportScheduleEvent & { metadata?: { partnerId: string; occurredAt: string } };

export function evolveReportSchedule(state: ReportScheduleState, event: Envelope): ReportScheduleState {
  switch (event.type) {
    case 'ReportScheduleCreated': {
      const { scheduleId, ...definition } = event.data;
      return { status: 'active', scheduleId, partnerId: event.metadata?.partnerId ?? '', createdAt: event.metadata?.occurredAt ?? '', ...definition };
    }
    case 'ReportScheduleDeleted':
      return state.status === 'none' ? state : { ...state, status: 'deleted' };
    default:
      return state;
  }
}

export type ReportScheduleCommand =
  | { type: 'CreateReportSchedule'; data: { partnerId: string; scheduleId: string } & ReportScheduleDefinition }
  | { type: 'DeleteReportSchedule'; data: { partnerId: string; scheduleId: string } };

function normalize(d: ReportScheduleDefinition): Result<ReportScheduleDefinition, CodedError> {
  const problems = [...recurrenceProblems(d.recurrence).map((p) => ({ ...p, field: p.field }))];
  const name = d.name.trim();
  if (name.length === 0 || name.length > SCHEDULE_NAME_MAX) problems.push({ field: 'name', message: `must be 1–${SCHEDULE_NAME_MAX} characters` });
  if (!(SCHEDULED_REPORT_KINDS as readonly string[]).includes(d.reportKind)) {
    problems.push({ field: 'reportKind', message: `must be one of ${SCHEDULED_REPORT_KINDS.join(', ')}` });
  }
  if (d.product !== null && d.reportKind !== 'job-status') problems.push({ field: 'product', message: 'only job status reports are narrowed to a product' });
  const recipients = [...new Set(d.recipients.map((r) => r.trim().toLowerCase()))];
  if (recipients.length === 0 || recipients.length > SCHEDULE_RECIPIENTS_MAX) {
    problems.push({ field: 'recipients', message: `1–${SCHEDULE_RECIPIENTS_MAX} distinct addresses` });
  }
  if (problems.length > 0) return err(new ReportScheduleValidationError(problems));
  return ok({ ...d, name, recipients, fileName: d.fileName?.trim() ? d.fileName.trim() : null });
}

/** F17 schedules: created and deleted (a changed schedule is a new one); another partner's reads as unknown. */
export function decideReportSchedule(command: ReportScheduleCommand, state: ReportScheduleState): Result<ReportScheduleEvent[], CodedError> {
  const { partnerId, scheduleId } = command.data;
  if (command.type === 'CreateReportSchedule') {
    if (state.status !== 'none') {
      return state.partnerId === partnerId
        ? err(new ConflictError(ReportScheduleErrorCode.ALREADY_EXISTS, 'A report schedule with this id already exists.'))
        : err(scheduleNotFound());
    }
    const { partnerId: _p, scheduleId: _s, ...definition } = command.data;
    const normalized = normalize(definition);
    if (!normalized.ok) return normalized;
    return ok([{ type: 'ReportScheduleCreated', data: { scheduleId, ...normalized.value } }]);
  }
  if (state.status !== 'active' || state.partnerId !== partnerId) return err(scheduleNotFound());
  return ok([{ type: 'ReportScheduleDeleted', data: { scheduleId } }]);
}

export const reportScheduleDecider = {
  initialState: initialReportScheduleState,
  evolve: evolveReportSchedule,
  decide: decideReportSchedule,
};
