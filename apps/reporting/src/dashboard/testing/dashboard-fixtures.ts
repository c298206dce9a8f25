import { deterministicUuid } from '@platform/core';
import type { RecordedEvent } from '@platform/event-store';
import type { TelemetryKind, TelemetryRecordByKind } from '../../telemetry/domain/telemetry-records';
import { telemetryEvent, telemetryStreamId } from '../../telemetry/domain/telemetry.events';

/** Recorded events as the log would hand them to the dashboard projection (positions and versions in order). */
export class DashboardFixtures {
  private position = 1000n;
  private readonly versions = new Map<string, number>();

  constructor(readonly partnerId = '0192e5f0-0000-7000-8000-0000000000aa') {}

  private record(streamId: string, type: string, data: Record<string, unknown>, customerId: string, at: string): RecordedEvent {
    const version = (this.versions.get(streamId) ?? 0) + 1;
    this.versions.set(streamId, version);
    this.position += 1n;
    return {
      id: deterministicUuid('fixture', streamId, String(version)),
      type,
      schemaVersion: 1,
      data,
      metadata: { partnerId: this.partnerId, customerId, occurredAt: at, correlationId: deterministicUuid('corr', streamId), actor: { type: 'service', id: 'test' } },
      streamId,
      streamVersion: version,
      globalPosition: this.position,
      recordedAt: new Date(at),
    };
  }

  telemetry<K extends TelemetryKind>(customerId: string, kind: K, record: TelemetryRecordByKind[K], at = '2026-05-01T12:00:00.000Z'): RecordedEvent {
    const e = telemetryEvent(kind, record);
    return this.record(telemetryStreamId(customerId), e.type, e.data, customerId, at);
  }

  report(customerId: string, reportId: string, type: string, data: Record<string, unknown>, at: string): RecordedEvent {
    return this.record(`report-${reportId}`, type, data, customerId, at);
  }
}

export const job = (day: string, status: TelemetryRecordByKind['backup-jobs']['status'], over: Partial<TelemetryRecordByKind['backup-jobs']> = {}): TelemetryRecordByKind['backup-jobs'] => ({
  jobId: `job-${day}-${over.workload ?? 'exchange'}-${status}`,
  product: 'cloud-backup-m365',
  workload: 'exchange',
  startedAt: `${day}T01:00:00.000Z`,
  endedAt: `${day}T01:30:00.000Z`,
  status,
  items: 100,
  bytes: 1000,
  ...over,
});
