import { deterministicUuid } from '@platform/core';
import type { RecordedEvent } from '@platform/event-store';
import type { IntegrationEventMapper } from '@platform/messaging';
import { contractEventMapper } from '@platform/service-kit';
import type { BackupJobRecord } from './telemetry/domain/telemetry-records';

const byContract = contractEventMapper('reporting');

/**
 * What reporting announces on reporting.events.v1: its own contract events (`CustomerHealthChanged`,
 * report events) as they are, and each backup job result from telemetry as `BackupJobCompleted`
 * (for job notification digests, F18) with an id derived from the job, so a job reported twice
 * is announced once. Other telemetry stays internal.
 */
export const reportingRelayMapper: IntegrationEventMapper = (event: RecordedEvent) => {
  if (event.type !== 'BackupJobReported') return byContract(event);
  const job = event.data as unknown as BackupJobRecord;
  return byContract({
    ...event,
    id: deterministicUuid('BackupJobCompleted', event.metadata.partnerId, event.metadata.customerId ?? '', job.jobId),
    type: 'BackupJobCompleted',
    data: {
      jobId: job.jobId,
      product: job.product,
      workload: job.workload,
      startedAt: job.startedAt,
      endedAt: job.endedAt,
      status: job.status,
      items: job.items,
      bytes: job.bytes,
    },
  });
};
