import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import type { ProjectionRunner } from '@platform/event-store';
import { PG_POOL, ServiceProjections } from '@platform/service-kit';
import { ReadModelFreshness } from '../customer-list/read-model-freshness';
import { ReadYourWritesInterceptor } from '../customer-list/read-your-writes.interceptor';
import { customersInfrastructure } from '../customers-infrastructure';
import { clockProvider } from '../infrastructure/clock';
import { ApplySettingTemplateToCustomersHandler } from './commands/apply-setting-template/apply-setting-template.handler';
import { CreateSettingTemplateHandler } from './commands/create-setting-template/create-setting-template.handler';
import { migrateSettingTemplates, SETTING_TEMPLATES_PROJECTION, SettingTemplatesProjection } from './projections/setting-templates.projection';
import { GetSettingTemplateQuery } from './queries/get-setting-template/get-setting-template.query';
import { ListSettingTemplatesQuery } from './queries/list-setting-templates/list-setting-templates.query';
import { SettingTemplatesHttpController } from './setting-templates.http.controller';

/** Creates the template list's table and registers its projection (runners start on bootstrap). */
@Injectable()
export class SettingTemplatesRegistration implements OnModuleInit {
  runner?: ProjectionRunner;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly projections: ServiceProjections,
  ) {}

  async onModuleInit(): Promise<void> {
    await migrateSettingTemplates(this.pool);
    this.runner = this.projections.add(new SettingTemplatesProjection());
  }
}

/** F5 setting templates: `settingtemplate-<id>` streams, their list, and applying them to customers. */
@Module({
  imports: [customersInfrastructure],
  controllers: [SettingTemplatesHttpController],
  providers: [
    clockProvider,
    SettingTemplatesRegistration,
    CreateSettingTemplateHandler,
    ApplySettingTemplateToCustomersHandler,
    GetSettingTemplateQuery,
    ListSettingTemplatesQuery,
    {
      // Read-your-writes on the list: the same mechanism as the customer list, on this projection.
      provide: ReadModelFreshness,
      inject: [PG_POOL, SettingTemplatesRegistration],
      useFactory: (pool: Pool, registration: SettingTemplatesRegistration) =>
        new ReadModelFreshness(pool, SETTING_TEMPLATES_PROJECTION, () => registration.runner?.status().readPosition),
    },
    ReadYourWritesInterceptor,
  ],
})
export class SettingTemplatesModule {}
