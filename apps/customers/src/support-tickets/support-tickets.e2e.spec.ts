import { randomUUID } from 'node:crypto';
import { eventually } from '@platform/testing';
import { auth, bodyOf, expectProblem, invite } from '../../test/support/api';
import { startTestSystem, type TestSystem } from '../../test/support/test-system';
import { customerStreamId } from '../customers/domain/customer.events';
import { streamEvents } from '../partner-users/testing/customers-e2e';

type Ticket = {
  id: string;
  title: string;
  description: string;
  severity: string;
  status: string;
  openedBy: string;
  closedAt: string | null;
  resolution: string | null;
  notes: Array<{ id: string; text: string; addedBy: string }>;
};

describe('F7 support tickets over HTTP', () => {
  let ts: TestSystem;
  let admin: string;
  let agent: string;
  let auditor: string;
  const ticket = { title: 'Backup job failing', description: 'The nightly Exchange backup fails since Monday.', severity: 'high' };

  beforeAll(async () => {
    ts = await startTestSystem();
    admin = ts.partnerA.users['global-admin'].token;
    agent = ts.partnerA.users['admin-agent'].token;
    auditor = ts.partnerA.users.auditor.token;
  });
  afterAll(async () => {
    await ts?.stop();
  });

  const post = (path: string, token: string, body: object) =>
    ts.http().post(path).set(auth(token)).set('Idempotency-Key', randomUUID()).send(body);
  const tickets = (customerId: string) => `/api/v1/customers/${customerId}/support-tickets`;
  const openTicket = async (customerId: string, token = agent) => {
    const res = await post(tickets(customerId), token, ticket);
    expect(res.status).toBe(201);
    return bodyOf<Ticket>(res);
  };

  it('opens a ticket on the customer’s behalf (201), adds notes (201), closes it (200), and lists it with notes', async () => {
    const customerId = await invite(ts, admin);
    const opened = await openTicket(customerId);
    expect(opened).toMatchObject({ ...ticket, status: 'open', notes: [], openedBy: ts.partnerA.users['admin-agent'].userId });

    const note = await post(`${tickets(customerId)}/${opened.id}/notes`, admin, { text: 'Called the customer.' });
    expect(note.status).toBe(201);
    expect(bodyOf(note)).toMatchObject({ id: expect.any(String), text: 'Called the customer.', addedBy: ts.partnerA.users['global-admin'].userId });

    const closed = await post(`${tickets(customerId)}/${opened.id}:close`, agent, { resolution: 'Credentials renewed.' });
    expect(closed.status).toBe(200);
    expect(bodyOf(closed)).toMatchObject({ id: opened.id, status: 'closed', resolution: 'Credentials renewed.', closedAt: expect.any(String) });

    const second = await openTicket(customerId);
    const list = await ts.http().get(tickets(customerId)).set(auth(auditor));
    expect(list.status).toBe(200);
    const body = bodyOf<{ items: Ticket[]; openCount: number }>(list);
    expect(body.openCount).toBe(1);
    expect(body.items.map((t) => [t.id, t.status])).toEqual([
      [second.id, 'open'],
      [opened.id, 'closed'],
    ]);
    expect(body.items[1].notes.map((n) => n.text)).toEqual(['Called the customer.']);

    const events = await streamEvents(ts, customerStreamId(customerId));
    expect(events.map((e) => e.type).slice(1)).toEqual(['SupportTicketOpened', 'SupportTicketNoteAdded', 'SupportTicketClosed', 'SupportTicketOpened']);
    expect(events[1].data).toEqual({ ticketId: opened.id, ...ticket, openTicketCount: 1 });
    expect(events[1].metadata).toMatchObject({ customerId, partnerId: ts.partnerA.partnerId });
  });

  it('announces opened and closed tickets with the open count on customers.events.v1 (nothing parked)', async () => {
    const customerId = await invite(ts, admin);
    const { id } = await openTicket(customerId);
    expect((await post(`${tickets(customerId)}/${id}:close`, agent, {})).status).toBe(200);
    let metrics = '';
    await eventually(
      async () => {
        metrics = (await ts.http().get('/metrics')).text;
        return /integration_events_published_total\{type="SupportTicketClosed"\} [1-9]/.test(metrics);
      },
      () => metrics.split('\n').filter((l) => l.startsWith('integration_events_published_total') || l.startsWith('projection_parked')).join('\n'),
    );
    expect(metrics).toMatch(/integration_events_published_total\{type="SupportTicketOpened"\} [1-9]/);
    expect(metrics).toMatch(/projection_parked_events\{service="customers",projection="customers.integration-relay"\} 0/);
  });

  it('closing twice is 409 TICKET.ALREADY_CLOSED, and so is a note on a closed ticket; nothing is written', async () => {
    const customerId = await invite(ts, admin);
    const { id } = await openTicket(customerId);
    expect((await post(`${tickets(customerId)}/${id}:close`, agent, {})).status).toBe(200);
    const before = await ts.eventCount();
    expectProblem(await post(`${tickets(customerId)}/${id}:close`, agent, {}), 409, 'TICKET.ALREADY_CLOSED');
    expectProblem(await post(`${tickets(customerId)}/${id}/notes`, agent, { text: 'late' }), 409, 'TICKET.ALREADY_CLOSED');
    expect(await ts.eventCount()).toBe(before);
  });

  it('refuses invalid input with the failing fields and unknown tickets, writing nothing', async () => {
    const customerId = await invite(ts, admin);
    const { id } = await openTicket(customerId);
    const before = await ts.eventCount();
    for (const body of [
      { ...ticket, title: '' },
      { ...ticket, title: 't'.repeat(201) },
      { ...ticket, description: 'd'.repeat(10_001) },
      { ...ticket, severity: 'urgent' },
      { title: 'No severity' },
      { ...ticket, extra: true },
    ]) {
      const res = await post(tickets(customerId), agent, body);
      expectProblem(res, 400);
      expect(JSON.parse(res.text).errors.length).toBeGreaterThan(0);
    }
    expectProblem(await post(`${tickets(customerId)}/${id}/notes`, agent, { text: '' }), 400);
    expectProblem(await post(`${tickets(customerId)}/${id}/notes`, agent, { text: 'n'.repeat(10_001) }), 400);
    expectProblem(await post(`${tickets(customerId)}/${id}/notes`, agent, {}), 400);
    expectProblem(await post(`${tickets(customerId)}/${id}:close`, agent, { resolution: 5 }), 400);
    expectProblem(
      await ts.http().post(`${tickets(customerId)}/${id}:close`).set(auth(agent)).set('Content-Type', 'text/plain').send('close it'),
      415,
      'REQUEST.UNSUPPORTED_MEDIA_TYPE',
    );
    const unknown = '0192e5f0-0000-7000-8000-00000000dead';
    expectProblem(await post(`${tickets(customerId)}/${unknown}/notes`, agent, { text: 'x' }), 404, 'TICKET.NOT_FOUND');
    expectProblem(await post(`${tickets(customerId)}/${unknown}:close`, agent, {}), 404, 'TICKET.NOT_FOUND');
    expectProblem(await post(`${tickets(customerId)}/not-a-uuid:close`, agent, {}), 404, 'TICKET.NOT_FOUND');
    expect(await ts.eventCount()).toBe(before);
  });

  it('lets auditors read but not write (403)', async () => {
    const customerId = await invite(ts, admin);
    const { id } = await openTicket(customerId);
    const before = await ts.eventCount();
    expectProblem(await post(tickets(customerId), auditor, ticket), 403, 'AUTH.FORBIDDEN');
    expectProblem(await post(`${tickets(customerId)}/${id}/notes`, auditor, { text: 'x' }), 403, 'AUTH.FORBIDDEN');
    expectProblem(await post(`${tickets(customerId)}/${id}:close`, auditor, {}), 403, 'AUTH.FORBIDDEN');
    expect(await ts.eventCount()).toBe(before);
  });

  it('answers 404 for a disconnected customer’s tickets, reads and writes alike', async () => {
    const customerId = await invite(ts, admin);
    const { id } = await openTicket(customerId);
    await ts.http().delete(`/api/v1/customers/${customerId}`).set(auth(admin)).send({ confirmation: 'Yes' }).expect((r) => expect(r.status).toBeLessThan(300));
    const before = await ts.eventCount();
    expectProblem(await ts.http().get(tickets(customerId)).set(auth(admin)), 404, 'CUSTOMER.NOT_FOUND');
    expectProblem(await post(tickets(customerId), admin, ticket), 404, 'CUSTOMER.NOT_FOUND');
    expectProblem(await post(`${tickets(customerId)}/${id}/notes`, admin, { text: 'x' }), 404, 'CUSTOMER.NOT_FOUND');
    expectProblem(await post(`${tickets(customerId)}/${id}:close`, admin, {}), 404, 'CUSTOMER.NOT_FOUND');
    expect(await ts.eventCount()).toBe(before);
  });

  it("gives partner B 404 on partner A's customer and tickets, on every ticket route, writing nothing", async () => {
    const customerId = await invite(ts, admin);
    const { id } = await openTicket(customerId);
    const b = ts.partnerB.users['global-admin'].token;
    const before = await ts.eventCount();
    expectProblem(await ts.http().get(tickets(customerId)).set(auth(b)), 404, 'CUSTOMER.NOT_FOUND');
    expectProblem(await post(tickets(customerId), b, ticket), 404, 'CUSTOMER.NOT_FOUND');
    expectProblem(await post(`${tickets(customerId)}/${id}/notes`, b, { text: 'x' }), 404, 'CUSTOMER.NOT_FOUND');
    expectProblem(await post(`${tickets(customerId)}/${id}:close`, b, {}), 404, 'CUSTOMER.NOT_FOUND');
    expect(await ts.eventCount()).toBe(before);
  });

  it('two notes added at the same time both land', async () => {
    const customerId = await invite(ts, admin);
    const { id } = await openTicket(customerId);
    const [a, b] = await Promise.all([
      post(`${tickets(customerId)}/${id}/notes`, agent, { text: 'first' }),
      post(`${tickets(customerId)}/${id}/notes`, admin, { text: 'second' }),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const list = bodyOf<{ items: Ticket[] }>(await ts.http().get(tickets(customerId)).set(auth(admin)));
    expect(list.items[0].notes.map((n) => n.text).sort()).toEqual(['first', 'second']);
  });
});
