import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { reportingInfrastructure } from '../reporting-infrastructure';
import { DemoTelemetrySeeder } from './demo-telemetry.seeder';

/** The embedded demo partner's sample customer gets months of telemetry (F14 "sample customer"). */
@Module({
  imports: [reportingInfrastructure, ApiKeysModule],
  providers: [DemoTelemetrySeeder],
})
export class DemoTelemetryModule {}
