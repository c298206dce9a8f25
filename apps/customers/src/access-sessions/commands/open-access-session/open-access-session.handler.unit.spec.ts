import { ConflictError, FakeClock } from '@platform/core';
import { InMemoryEventStore, type NewEvent } from '@platform/event-store';
import type { AuthenticatedActor } from '@platform/service-kit';
import { customerStreamId } from '../../../customers/domain/customer.events';
import { partnerUserStreamId } from '../../../partner-users/domain/partner-user.events';
import { AccessTokenSigner } from '../../infrastructure/access-token-signer';
import { OpenAccessSessionHandler } from './open-access-session.handler';

const actor: AuthenticatedActor = { userId: 'agent-1', partnerId: 'partner-a', roles: ['admin-agent'] };
const C1 = '0192e5f0-0000-7000-8000-0000000000c1';
const C2 = '0192e5f0-0000-7000-8000-0000000000c2';
let n = 0;
const event = (type: string, data: Record<string, unknown>, customerId: string): NewEvent => ({
  id: `0192e5f0-0000-7000-8000-${(++n).toString(16).padStart(12, '0')}`,
  type,
  schemaVersion: 1,
  data,
  metadata: { partnerId: 'partner-a', customerId, occurredAt: '2026-01-01T00:00:00.000Z', correlationId: 'c', actor: { type: 'user', id: 'u' } },
});
const activeCustomer = (customerId: string): NewEvent[] => [
  event(
    'CustomerInvited',
    {
      organizationName: 'Contoso',
      primaryDomain: 'contoso.com',
      countryCode: 'IT',
      accountType: 'local-account',
      contactEmail: 'a@contoso.com',
      tags: [],
      locale: 'en',
      invitation: { tokenId: 't', expiresAt: '2026-02-01T00:00:00.000Z', draftEmail: 'Hi' },
    },
    customerId,
  ),
  event('InvitationAccepted', { registeredAccount: 'admin@contoso.com', accountType: 'local-account' }, customerId),
];

describe('opening an access session (handler on an in-memory store)', () => {
  let store: InMemoryEventStore;
  let clock: FakeClock;
  let handler: OpenAccessSessionHandler;

  beforeEach(async () => {
    store = new InMemoryEventStore();
    clock = new FakeClock(new Date('2026-01-01T10:00:00.000Z'));
    handler = new OpenAccessSessionHandler(store, clock, new AccessTokenSigner('unit-test-secret-0123456789abcdefghij'), 'https://env.test');
    await store.append(customerStreamId(C1), activeCustomer(C1), { expectedVersion: 'no_stream' });
    await store.append(customerStreamId(C2), activeCustomer(C2), { expectedVersion: 'no_stream' });
  });

  const types = async (streamId: string) => (await store.readStream(streamId)).map((e) => e.type);

  it('a retry after the user-stream write failed completes the same session, recording the access once', async () => {
    const append = store.append.bind(store);
    let failed = false;
    jest.spyOn(store, 'append').mockImplementation(async (streamId, events, options) => {
      if (!failed && streamId === partnerUserStreamId(actor.userId)) {
        failed = true;
        throw new Error('connection lost');
      }
      return append(streamId, events, options);
    });
    await expect(handler.execute({ actor, customerId: C1, requestKey: 'key:k1' })).rejects.toThrow('connection lost');

    clock.advance(5_000); // the retry comes a little later: the session keeps its first expiry
    const session = await handler.execute({ actor, customerId: C1, requestKey: 'key:k1' });
    expect(session).toMatchObject({ expiresAt: '2026-01-01T10:15:00.000Z', environmentUrl: `https://env.test/customers/${C1}` });
    expect(await types(customerStreamId(C1))).toEqual(['CustomerInvited', 'InvitationAccepted', 'CustomerAccessSessionOpened']);
    expect(await types(partnerUserStreamId(actor.userId))).toEqual(['AccessSessionStarted']);

    const again = await handler.execute({ actor, customerId: C1, requestKey: 'key:k1' });
    expect(again).toEqual({ ...session, position: undefined });
  });

  it('a session opened by another request supersedes the first; one past its expiry is recorded as expired', async () => {
    const first = await handler.execute({ actor, customerId: C1, requestKey: 'key:k1' });
    const second = await handler.execute({ actor, customerId: C2, requestKey: 'key:k2' });
    clock.advance(20 * 60 * 1000);
    await handler.execute({ actor, customerId: C1, requestKey: 'key:k3' });
    const userEvents = (await store.readStream(partnerUserStreamId(actor.userId))).map((e) => [e.type, e.data.sessionId, e.data.reason]);
    expect(userEvents).toEqual([
      ['AccessSessionStarted', first.sessionId, undefined],
      ['AccessSessionEnded', first.sessionId, 'superseded'],
      ['AccessSessionStarted', second.sessionId, undefined],
      ['AccessSessionEnded', second.sessionId, 'expired'],
      ['AccessSessionStarted', expect.any(String), undefined],
    ]);
  });

  it('a refused customer leaves both streams untouched', async () => {
    await store.append(customerStreamId(C1), [event('ManagementModeChanged', { from: 'partner', to: 'customer' }, C1)], { expectedVersion: 'any' });
    await expect(handler.execute({ actor, customerId: C1, requestKey: 'key:k1' })).rejects.toBeInstanceOf(ConflictError);
    expect(await types(partnerUserStreamId(actor.userId))).toEqual([]);
    expect((await types(customerStreamId(C1))).at(-1)).toBe('ManagementModeChanged');
  });
});
