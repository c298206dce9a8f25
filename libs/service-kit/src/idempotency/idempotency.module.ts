import { Inject, Module, type DynamicModule, type ModuleMetadata, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../infrastructure/tokens';
import { IdempotencyMiddleware } from './idempotency.middleware';
import { IdempotencyStore, migrateIdempotency } from './idempotency-store';

/**
 * Idempotency keys kept in the database given by `imports` (which must export PG_POOL, e.g. the
 * service's infrastructure module); migrates its table at start. The importing module applies
 * `IdempotencyMiddleware` to its routes, in the order it chooses (after rate limiting, before
 * whatever answers): the gateway does, for every route of the application.
 */
@Module({})
export class IdempotencyModule implements OnModuleInit {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  static register(options: { imports: ModuleMetadata['imports'] }): DynamicModule {
    return {
      module: IdempotencyModule,
      imports: options.imports,
      providers: [
        { provide: IdempotencyStore, useFactory: (pool: Pool) => new IdempotencyStore(pool), inject: [PG_POOL] },
        IdempotencyMiddleware,
      ],
      exports: [IdempotencyStore, IdempotencyMiddleware],
    };
  }

  async onModuleInit(): Promise<void> {
    await migrateIdempotency(this.pool);
  }
}
