import { Module } from '@nestjs/common';
import { ServiceInfrastructureModule } from '@platform/service-kit';

/** Reporting (F14–F17): relay for `telemetry-*` and `report-*` streams on reporting.events.v1. */
export const reportingInfrastructure = ServiceInfrastructureModule.forService({
  service: 'reporting',
  relay: { producer: 'reporting', categories: ['telemetry', 'report'] },
});

@Module({
  imports: [reportingInfrastructure],
  exports: [reportingInfrastructure],
})
export class ReportingModule {}
