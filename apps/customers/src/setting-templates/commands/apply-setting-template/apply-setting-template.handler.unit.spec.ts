import { FakeClock } from '@platform/core';
import { InMemoryEventStore, type NewEvent } from '@platform/event-store';
import type { AuthenticatedActor } from '@platform/service-kit';
import { customerStreamId } from '../../../customers/domain/customer.events';
import { settingTemplateStreamId } from '../../domain/setting-template.events';
import { ApplySettingTemplateToCustomersHandler } from './apply-setting-template.handler';

const actor: AuthenticatedActor = { userId: 'admin-1', partnerId: 'partner-a', roles: ['global-admin'] };
const TEMPLATE = '0192e5f0-0000-7000-8000-0000000000f1';
const C1 = '0192e5f0-0000-7000-8000-0000000000c1';
const C2 = '0192e5f0-0000-7000-8000-0000000000c2';
let n = 0;
const event = (type: string, data: Record<string, unknown>, customerId?: string): NewEvent => ({
  id: `0192e5f0-0000-7000-8000-${(++n).toString(16).padStart(12, '0')}`,
  type,
  schemaVersion: 1,
  data,
  metadata: { partnerId: 'partner-a', customerId, occurredAt: '2026-01-01T00:00:00.000Z', correlationId: 'c', actor: { type: 'user', id: 'u' } },
});
const invited = (customerId: string) =>
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
  );

describe('applying a setting template to customers (handler on an in-memory store)', () => {
  let store: InMemoryEventStore;
  let handler: ApplySettingTemplateToCustomersHandler;

  beforeEach(async () => {
    store = new InMemoryEventStore();
    handler = new ApplySettingTemplateToCustomersHandler(store, new FakeClock());
    await store.append(settingTemplateStreamId(TEMPLATE), [event('SettingTemplateCreated', { name: 'EU', settings: { locale: 'fr' }, tags: ['eu'] })], {
      expectedVersion: 'no_stream',
    });
    await store.append(customerStreamId(C1), [invited(C1)], { expectedVersion: 'no_stream' });
    await store.append(customerStreamId(C2), [invited(C2)], { expectedVersion: 'no_stream' });
  });

  it('a retry of the same request (same key) after a failure part-way appends only what is missing', async () => {
    // The first attempt got as far as the first customer.
    const first = await handler.execute({ actor, templateId: TEMPLATE, customerIds: [C1], requestKey: 'key:k1' });
    expect(first.results).toEqual([{ customerId: C1, status: 'applied', eventId: expect.any(String) }]);

    const retry = await handler.execute({ actor, templateId: TEMPLATE, customerIds: [C1, C2], requestKey: 'key:k1' });
    expect(retry.results).toEqual([
      { customerId: C1, status: 'applied', eventId: first.results[0].status === 'applied' ? first.results[0].eventId : '' },
      { customerId: C2, status: 'applied', eventId: expect.any(String) },
    ]);
    const types = async (c: string) => (await store.readStream(customerStreamId(c))).map((e) => e.type);
    expect(await types(C1)).toEqual(['CustomerInvited', 'SettingTemplateApplied']);
    expect(await types(C2)).toEqual(['CustomerInvited', 'SettingTemplateApplied']);
  });

  it('another request (another key) applies the template again: that is new history', async () => {
    await handler.execute({ actor, templateId: TEMPLATE, customerIds: [C1], requestKey: 'key:k1' });
    await handler.execute({ actor, templateId: TEMPLATE, customerIds: [C1], requestKey: 'key:k2' });
    expect((await store.readStream(customerStreamId(C1))).map((e) => e.type)).toEqual([
      'CustomerInvited',
      'SettingTemplateApplied',
      'SettingTemplateApplied',
    ]);
  });

  it('a customer changed concurrently is decided again on its newer stream', async () => {
    const append = store.append.bind(store);
    let raced = false;
    jest.spyOn(store, 'append').mockImplementation(async (streamId, events, options) => {
      if (!raced && streamId === customerStreamId(C1)) {
        raced = true;
        await append(streamId, [event('CustomerTagsChanged', { tags: ['vip'] }, C1)], { expectedVersion: 'any' });
      }
      return append(streamId, events, options);
    });
    const outcome = await handler.execute({ actor, templateId: TEMPLATE, customerIds: [C1], requestKey: 'key:k1' });
    expect(outcome.results[0].status).toBe('applied');
    const last = (await store.readStream(customerStreamId(C1))).at(-1)!;
    expect(last.data).toMatchObject({ tags: ['vip', 'eu'] });
  });
});
