import { Inject, Injectable, Logger, type INestApplicationContext } from '@nestjs/common';
import type { EventStore } from '@platform/event-store';
import { EVENT_STORE } from '@platform/service-kit';
import { seedDemoData, type DemoSeedResult } from './seed-demo-data';

/** The customers service's event store, for seeding the demo partner's customers. */
@Injectable()
export class DemoDataSeeder {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  seed(): Promise<DemoSeedResult> {
    return seedDemoData(this.store);
  }
}

/**
 * Called by the embedded launcher once the application is initialised (migrations done):
 * fills an empty data folder with the demo partner's customers; a no-op on later starts.
 */
export async function seedEmbeddedDemoData(app: INestApplicationContext): Promise<DemoSeedResult> {
  const result = await app.get(DemoDataSeeder, { strict: false }).seed();
  if (result.customersCreated > 0 || result.pinsCreated > 0) {
    new Logger('DemoData').log(result, 'demo partner customers created');
  }
  return result;
}
