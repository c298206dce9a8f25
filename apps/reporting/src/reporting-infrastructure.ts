import { ServiceInfrastructureModule } from '@platform/service-kit';
import { HEALTH_CATEGORY } from './dashboard/domain/customer-health';
import { reportingRelayMapper } from './reporting-relay-mapper';
import { TELEMETRY_CATEGORY } from './telemetry/domain/telemetry.events';

/**
 * The reporting service's infrastructure (pool, event store, projections, relay), in its own
 * file so feature modules import the same instance without importing reporting.module (no cycle).
 * The relay publishes `CustomerHealthChanged` (from `health-<customerId>` streams) and the report
 * events (`report-*`) on reporting.events.v1, and backup job results from `telemetry-*` as
 * `BackupJobCompleted` (reportingRelayMapper); the rest of the telemetry stays internal.
 */
export const reportingInfrastructure = ServiceInfrastructureModule.forService({
  service: 'reporting',
  relay: { producer: 'reporting', categories: [HEALTH_CATEGORY, 'report', TELEMETRY_CATEGORY], map: reportingRelayMapper },
});
