import { Module } from '@nestjs/common';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { DemoTelemetryModule } from './demo-telemetry/demo-telemetry.module';
import { reportingInfrastructure } from './reporting-infrastructure';
import { ReportingDirectoryModule } from './reporting-directory.module';
import { ReportSchedulesModule } from './report-schedules/report-schedules.module';
import { TelemetryModule } from './telemetry/telemetry.module';

// Defined in its own file so feature modules can import the same instance without a cycle.
export { reportingInfrastructure };

/**
 * Reporting (F14–F17): API keys and telemetry ingestion, the customer detailed dashboard with
 * service health, demo telemetry; one customer directory (`ReportingDirectoryModule`) for all
 * features. Relay: `health-*` and `report-*` streams on reporting.events.v1.
 */
@Module({
  imports: [
    reportingInfrastructure,
    ReportingDirectoryModule,
    ApiKeysModule,
    TelemetryModule,
    DashboardModule,
    DemoTelemetryModule,
    ReportSchedulesModule, // with ReportsModule, ReportTemplatesModule and ExportsModule (F15–F17)
  ],
  exports: [reportingInfrastructure, ReportingDirectoryModule],
})
export class ReportingModule {}
