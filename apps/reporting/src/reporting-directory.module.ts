import { Module } from '@nestjs/common';
import { CustomerDirectoryModule } from '@platform/customer-directory';
import { reportingInfrastructure } from './reporting-infrastructure';

export const REPORTING_DIRECTORY_TABLE = 'reporting_customer_directory';
export const REPORTING_DIRECTORY_GROUP = 'reporting.customer-directory';

/**
 * The reporting service's one customer directory (tenant isolation, customer facts): import
 * this module to inject `CustomerDirectory`; every feature module shares the same instance.
 */
const directory = CustomerDirectoryModule.forService(reportingInfrastructure, {
  table: REPORTING_DIRECTORY_TABLE,
  groupId: REPORTING_DIRECTORY_GROUP,
});

@Module({ imports: [directory], exports: [directory] })
export class ReportingDirectoryModule {}
