import type { TelemetryKind } from '../../domain/telemetry-records';

/** A product environment pushes a batch of telemetry records of one kind (authenticated by its partner's API key). */
export interface IngestTelemetryCommand {
  partnerId: string;
  keyId: string;
  kind: TelemetryKind;
  batchId: string;
  records: unknown[];
  correlationId?: string;
}
