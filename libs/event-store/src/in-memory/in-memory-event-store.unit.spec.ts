import { eventStoreContract } from '../testing/event-store.contract';
import { InMemoryEventStore } from './in-memory-event-store';

eventStoreContract('InMemoryEventStore', async () => ({
  store: new InMemoryEventStore(),
  teardown: async () => undefined,
}));
