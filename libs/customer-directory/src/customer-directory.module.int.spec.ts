import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Pool } from 'pg';
import { Topics } from '@platform/contracts';
import { PG_POOL, ServiceConsumers } from '@platform/service-kit';
import { createTestDatabase, type TestDatabase } from '@platform/testing';
import { CustomerDirectory } from './customer-directory';
import { CustomerDirectoryModule } from './customer-directory.module';

/** Stands in for a service's ServiceInfrastructureModule: the pool and the consumer registry it exports. */
@Module({})
class FakeInfrastructureModule {}

const root = (directoryModule: DynamicModule): DynamicModule => ({ module: class RootModule {}, imports: [directoryModule] });

describe('CustomerDirectoryModule', () => {
  let db: TestDatabase;
  let pool: Pool;
  let consumers: ServiceConsumers;
  let infrastructure: DynamicModule;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = db.pool();
    consumers = new ServiceConsumers({ service: 'subscriptions' });
    infrastructure = {
      module: FakeInfrastructureModule,
      providers: [
        { provide: PG_POOL, useValue: pool },
        { provide: ServiceConsumers, useValue: consumers },
      ],
      exports: [PG_POOL, ServiceConsumers],
    };
  });

  afterAll(async () => {
    await db.close();
  });

  it('migrates on init, registers its consumer on the customers topic and exports the directory', async () => {
    const app = await NestFactory.createApplicationContext(
      root(CustomerDirectoryModule.forService(infrastructure, { table: 'svc_customer_directory', groupId: 'svc.customer-directory' })),
      { logger: false },
    );
    try {
      const directory = app.get(CustomerDirectory);
      expect(directory.table).toBe('svc_customer_directory');
      const registered = consumers.all().find((c) => c.groupId === 'svc.customer-directory');
      expect(registered).toEqual({
        groupId: 'svc.customer-directory',
        topics: [Topics.customers],
        handler: directory.handler,
        eventTypes: directory.eventTypes,
      });
      const { rows } = await pool.query(`SELECT to_regclass('svc_customer_directory') IS NOT NULL AS present`);
      expect(rows[0].present).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('refuses a table name that is not a plain identifier at startup', async () => {
    const failure = await NestFactory.createApplicationContext(
      root(CustomerDirectoryModule.forService(infrastructure, { table: 'bad name', groupId: 'svc.other' })),
      { logger: false, abortOnError: false },
    ).then(
      async (app) => {
        await app.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(String(failure)).toMatch(/invalid table name/);
    expect(consumers.all().some((c) => c.groupId === 'svc.other')).toBe(false);
  });
});
