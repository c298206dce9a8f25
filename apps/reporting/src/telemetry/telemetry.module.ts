import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@platform/service-kit';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { reportingInfrastructure } from '../reporting-infrastructure';
import { ReportingDirectoryModule } from '../reporting-directory.module';
import { IngestTelemetryHandler } from './commands/ingest-telemetry/ingest-telemetry.handler';
import { IngestTelemetryHttpController } from './commands/ingest-telemetry/ingest-telemetry.http.controller';
import { telemetryBodyParser } from './infrastructure/telemetry-body-parser';
import { migrateTelemetry } from './infrastructure/telemetry.schema';

@Injectable()
class TelemetryRegistration implements OnModuleInit {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async onModuleInit(): Promise<void> {
    await migrateTelemetry(this.pool);
  }
}

/** `POST /api/v1/telemetry/{kind}`: product environments push telemetry with their partner's API key. */
@Module({
  imports: [reportingInfrastructure, ApiKeysModule, ReportingDirectoryModule],
  controllers: [IngestTelemetryHttpController],
  providers: [TelemetryRegistration, telemetryBodyParser, IngestTelemetryHandler],
})
export class TelemetryModule {}
