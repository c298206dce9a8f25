import { randomUUID } from 'node:crypto';
import type { EventStore, RecordedEvent } from '@platform/event-store';
import { EVENT_STORE } from '@platform/service-kit';
import { CustomersModule } from '../../customers.module';
import { auth, bodyOf, inviteBody } from '../../../test/support/api';
import type { TestSystem } from '../../../test/support/test-system';

/** Invites a customer as `token`'s user and accepts the invitation: an `active` customer. */
export async function inviteActiveCustomer(ts: TestSystem, token: string): Promise<string> {
  const invited = await ts.http().post('/api/v1/customers').set(auth(token)).set('Idempotency-Key', randomUUID()).send(inviteBody());
  if (invited.status !== 201) throw new Error(`invite answered ${invited.status}: ${invited.text}`);
  const { id, invitation } = bodyOf<{ id: string; invitation: { link: string } }>(invited);
  const accepted = await ts.http().post(new URL(invitation.link).pathname).send({ registeredAccount: 'admin@customer.example.com' });
  if (accepted.status !== 200) throw new Error(`accept answered ${accepted.status}: ${accepted.text}`);
  return id;
}

/** The events of one stream, oldest first, through the service's own (decrypting) event store. */
export function streamEvents(ts: TestSystem, streamId: string): Promise<RecordedEvent[]> {
  return ts.system.app.select(CustomersModule).get<EventStore>(EVENT_STORE, { strict: false }).readStream(streamId);
}
