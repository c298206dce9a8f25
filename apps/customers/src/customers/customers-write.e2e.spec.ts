import type { Response } from 'supertest';
import { uuidv7 } from '@platform/core';
import type { EventStore } from '@platform/event-store';
import { EVENT_STORE } from '@platform/service-kit';
import { CustomersModule } from '../customers.module';
import { startTestSystem, type TestSystem } from '../../test/support/test-system';

/** The customer write endpoints (F1, F2, F3, F5 tags, F6) through real HTTP on the embedded system. */

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 3)]);

const problem = (res: Response) => JSON.parse(res.text) as { code: string; status: number; errors?: Array<{ field: string }> };

function expectProblem(res: Response, status: number, code: string): void {
  if (res.status !== status) throw new Error(`expected ${status} ${code}, got ${res.status}: ${res.text}`);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(problem(res).code).toBe(code);
}

describe('customer write endpoints (HTTP)', () => {
  let t: TestSystem;
  let admin: string;
  let agent: string;
  let auditor: string;
  let otherAdmin: string;

  beforeAll(async () => {
    t = await startTestSystem();
    admin = `Bearer ${t.partnerA.users['global-admin'].token}`;
    agent = `Bearer ${t.partnerA.users['admin-agent'].token}`;
    auditor = `Bearer ${t.partnerA.users.auditor.token}`;
    otherAdmin = `Bearer ${t.partnerB.users['global-admin'].token}`;
  }, 60_000);

  afterAll(async () => {
    await t?.stop();
  });

  const streamEvents = async (customerId: string) =>
    (
      await t.pool.query<{ type: string }>('SELECT type FROM events WHERE stream_id = $1 ORDER BY stream_version', [`customer-${customerId}`])
    ).rows.map((r) => r.type);

  /** Events of partner A (demo data or other suites' partners may write meanwhile). */
  const partnerEventCount = async () =>
    (await t.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE metadata->>'partnerId' = $1", [t.partnerA.partnerId])).rows[0].n;

  const inviteBody = (over: Record<string, unknown> = {}) => ({
    organizationName: 'Contoso Ltd',
    primaryDomain: 'contoso.com',
    countryCode: 'IT',
    accountType: 'microsoft365-global-admin',
    contactEmail: 'it-admin@contoso.com',
    tags: ['gold'],
    locale: 'it',
    ...over,
  });

  async function invite(over: Record<string, unknown> = {}, auth = admin) {
    const res = await t.http().post('/api/v1/customers').set('Authorization', auth).send(inviteBody(over));
    if (res.status !== 201) throw new Error(`invite failed: ${res.status} ${res.text}`);
    return res.body as { id: string; status: string; invitation: { link: string; expiresAt: string; draftEmail: string } };
  }

  const acceptPath = (link: string) => new URL(link).pathname;

  async function activeCustomer() {
    const c = await invite();
    const res = await t.http().post(acceptPath(c.invitation.link)).send({ registeredAccount: 'admin@contoso.com' });
    expect(res.status).toBe(200);
    return c.id;
  }

  describe('POST /api/v1/customers (invite)', () => {
    it('answers 201 with the invitation, Location, ETag and the log position', async () => {
      const res = await t.http().post('/api/v1/customers').set('Authorization', agent).send(inviteBody({ partnerName: 'Fabrikam MSP' }));
      expect(res.status).toBe(201);
      const body = res.body as { id: string; status: string; invitation: { link: string; expiresAt: string; draftEmail: string } };
      expect(body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        status: 'invited',
        invitation: { link: expect.stringContaining('/api/v1/invitations/'), expiresAt: expect.any(String), draftEmail: expect.stringContaining('Fabrikam MSP') },
      });
      expect(res.headers.location).toBe(`/api/v1/customers/${body.id}`);
      expect(res.headers.etag).toBe('W/"1"');
      expect(res.headers['x-log-position']).toMatch(/^\d+$/);
      const days = (Date.parse(body.invitation.expiresAt) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(6.9);
      expect(days).toBeLessThanOrEqual(7);
      expect(await streamEvents(body.id)).toEqual(['CustomerInvited']);
    });

    it('invites by authorization link without a contact email', async () => {
      const c = await invite({ accountType: 'authorization-link', contactEmail: undefined });
      expect(c.invitation.link).toMatch(/:accept$/);
    });

    it.each([
      ['an unknown field', { extra: 1 }],
      ['an empty name', { organizationName: '' }],
      ['a 300-character name', { organizationName: 'x'.repeat(300) }],
      ['a bad email', { contactEmail: 'nope' }],
      ['a bad country code', { countryCode: 'Italy' }],
      ['an unknown account type', { accountType: 'root' }],
      ['a wrong type', { tags: 'gold' }],
    ])('refuses %s with 400 and the field, appending nothing', async (_what, over) => {
      const before = await partnerEventCount();
      const res = await t.http().post('/api/v1/customers').set('Authorization', admin).send(inviteBody(over));
      expectProblem(res, 400, 'REQUEST.INVALID');
      expect(problem(res).errors!.length).toBeGreaterThan(0);
      expect(await partnerEventCount()).toBe(before);
    });

    it('refuses what only the domain knows (unassigned country, bad domain) with CUSTOMER.INVALID', async () => {
      const res = await t.http().post('/api/v1/customers').set('Authorization', admin).send(inviteBody({ countryCode: 'XX', primaryDomain: 'nodot' }));
      expectProblem(res, 400, 'CUSTOMER.INVALID');
      expect(problem(res).errors!.map((e) => e.field).sort()).toEqual(['countryCode', 'primaryDomain']);
    });

    it('is refused to auditors and to anonymous callers', async () => {
      expectProblem(await t.http().post('/api/v1/customers').set('Authorization', auditor).send(inviteBody()), 403, 'AUTH.FORBIDDEN');
      expectProblem(await t.http().post('/api/v1/customers').send(inviteBody()), 401, 'AUTH.UNAUTHENTICATED');
    });
  });

  describe('resend, revoke, accept', () => {
    it('resend issues a new link; the old one is superseded; the new one works once', async () => {
      const c = await invite();
      const resent = await t.http().post(`/api/v1/customers/${c.id}/invitation:resend`).set('Authorization', agent).send({ draftEmail: 'Again' });
      expect(resent.status).toBe(200);
      expect(resent.headers.etag).toBe('W/"2"');
      expect(resent.body.invitation.draftEmail).toBe('Again');
      expect(resent.body.invitation.link).not.toBe(c.invitation.link);

      expectProblem(
        await t.http().post(acceptPath(c.invitation.link)).send({ registeredAccount: 'admin@contoso.com' }),
        409,
        'CUSTOMER.INVITATION_SUPERSEDED',
      );
      const ok = await t.http().post(acceptPath(resent.body.invitation.link)).send({ registeredAccount: 'admin@contoso.com' });
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ id: c.id, status: 'active' });
      expectProblem(
        await t.http().post(acceptPath(resent.body.invitation.link)).send({ registeredAccount: 'admin@contoso.com' }),
        409,
        'CUSTOMER.INVITATION_ALREADY_USED',
      );
      expectProblem(await t.http().post(`/api/v1/customers/${c.id}/invitation:resend`).set('Authorization', agent).send({}), 409, 'CUSTOMER.NOT_INVITED');
      expectProblem(
        await t.http().post(`/api/v1/customers/${c.id}/invitation:resend`).set('Authorization', agent).set('Content-Type', 'text/plain').send('again'),
        415,
        'REQUEST.UNSUPPORTED_MEDIA_TYPE',
      );
      expect(await streamEvents(c.id)).toEqual(['CustomerInvited', 'InvitationResent', 'InvitationAccepted']);
    });

    it('revoke makes the link unusable', async () => {
      const c = await invite();
      const res = await t.http().delete(`/api/v1/customers/${c.id}/invitation`).set('Authorization', agent);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: c.id, status: 'revoked' });
      expectProblem(
        await t.http().post(acceptPath(c.invitation.link)).send({ registeredAccount: 'admin@contoso.com' }),
        409,
        'CUSTOMER.INVITATION_REVOKED',
      );
      expectProblem(await t.http().delete(`/api/v1/customers/${c.id}/invitation`).set('Authorization', agent), 409, 'CUSTOMER.INVITATION_REVOKED');
    });

    it('a forged or unknown token is no invitation (404), and accept needs a registered account', async () => {
      const c = await invite();
      const path = acceptPath(c.invitation.link);
      const forged = path.replace(/\.([A-Za-z0-9_-])/, (_m, ch: string) => `.${ch === 'A' ? 'B' : 'A'}`);
      expectProblem(await t.http().post(forged).send({ registeredAccount: 'a@b.co' }), 404, 'CUSTOMER.INVITATION_NOT_FOUND');
      expectProblem(await t.http().post('/api/v1/invitations/garbage:accept').send({ registeredAccount: 'a@b.co' }), 404, 'CUSTOMER.INVITATION_NOT_FOUND');
      expectProblem(await t.http().post(path).send({}), 400, 'REQUEST.INVALID');
      expect(await streamEvents(c.id)).toEqual(['CustomerInvited']);
    });
  });

  describe('PATCH /api/v1/customers/{id}', () => {
    it('edits with If-Match, answering the new ETag; a stale If-Match is 412 and writes nothing', async () => {
      const id = await activeCustomer();
      const res = await t
        .http()
        .patch(`/api/v1/customers/${id}`)
        .set('Authorization', agent)
        .set('If-Match', 'W/"2"')
        .send({ organizationName: 'Contoso Italia', serviceReports: { enabled: true, recipients: ['r@contoso.com'] }, jobNotificationProfileId: null });
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('W/"3"');
      expect(res.body).toMatchObject({ organizationName: 'Contoso Italia', serviceReports: { enabled: true, recipients: ['r@contoso.com'] }, version: 3 });

      expectProblem(
        await t.http().patch(`/api/v1/customers/${id}`).set('Authorization', agent).set('If-Match', 'W/"2"').send({ locale: 'fr' }),
        412,
        'REQUEST.PRECONDITION_FAILED',
      );
      expectProblem(await t.http().patch(`/api/v1/customers/${id}`).set('Authorization', agent).send({ billingReports: { enabled: true, recipients: ['x@y.co'] } }), 400, 'CUSTOMER.INVALID');
      expectProblem(await t.http().patch(`/api/v1/customers/${id}`).set('Authorization', agent).send({ countryCode: 'it' }), 400, 'REQUEST.INVALID');
      expectProblem(await t.http().patch(`/api/v1/customers/${id}`).set('Authorization', auditor).send({ locale: 'fr' }), 403, 'AUTH.FORBIDDEN');
      expect(await streamEvents(id)).toEqual(['CustomerInvited', 'InvitationAccepted', 'CustomerUpdated']);
    });

    it('of two concurrent edits from the same version, one wins and the other is refused', async () => {
      const id = await activeCustomer();
      const send = (locale: string) =>
        t.http().patch(`/api/v1/customers/${id}`).set('Authorization', agent).set('If-Match', 'W/"2"').send({ locale });
      const statuses = (await Promise.all([send('fr'), send('en')])).map((r) => r.status).sort();
      expect([[200, 409], [200, 412]]).toContainEqual(statuses);
      expect(await streamEvents(id)).toEqual(['CustomerInvited', 'InvitationAccepted', 'CustomerUpdated']);
    });

    it("is 404 for another partner's customer and for an id that is not one", async () => {
      const id = await activeCustomer();
      expectProblem(await t.http().patch(`/api/v1/customers/${id}`).set('Authorization', otherAdmin).send({ locale: 'fr' }), 404, 'CUSTOMER.NOT_FOUND');
      expectProblem(await t.http().patch(`/api/v1/customers/${id}`).set('Authorization', otherAdmin).set('If-Match', 'W/"99"').send({ locale: 'fr' }), 404, 'CUSTOMER.NOT_FOUND');
      expectProblem(await t.http().patch(`/api/v1/customers/${uuidv7()}`).set('Authorization', admin).send({ locale: 'fr' }), 404, 'CUSTOMER.NOT_FOUND');
      expectProblem(await t.http().patch('/api/v1/customers/not-a-uuid').set('Authorization', admin).send({ locale: 'fr' }), 404, 'CUSTOMER.NOT_FOUND');
      expect(await streamEvents(id)).toEqual(['CustomerInvited', 'InvitationAccepted']);
    });
  });

  describe('logo', () => {
    it('stores a PNG, serves it back to any role, replaces and removes it', async () => {
      const id = await activeCustomer();
      const put = await t.http().put(`/api/v1/customers/${id}/logo`).set('Authorization', agent).set('Content-Type', 'image/png').send(PNG);
      expect(put.status).toBe(200);
      expect(put.body.logo).toMatchObject({ contentType: 'image/png', sizeBytes: PNG.length });
      const got = await t.http().get(`/api/v1/customers/${id}/logo`).set('Authorization', auditor).buffer(true).parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
      expect(got.status).toBe(200);
      expect(got.headers['content-type']).toBe('image/png');
      expect(Buffer.compare(got.body as Buffer, PNG)).toBe(0);

      const jpeg = await t.http().put(`/api/v1/customers/${id}/logo`).set('Authorization', agent).set('Content-Type', 'image/jpeg').send(JPEG);
      expect(jpeg.status).toBe(200);
      const rows = await t.pool.query('SELECT sha256 FROM customer_logos WHERE customer_id = $1', [id]);
      expect(rows.rowCount).toBe(1);

      const removed = await t.http().delete(`/api/v1/customers/${id}/logo`).set('Authorization', agent);
      expect(removed.status).toBe(200);
      expect(removed.body.logo).toBeNull();
      expectProblem(await t.http().get(`/api/v1/customers/${id}/logo`).set('Authorization', agent), 404, 'CUSTOMER.LOGO_NOT_FOUND');
      expect(await streamEvents(id)).toEqual(['CustomerInvited', 'InvitationAccepted', 'CustomerLogoChanged', 'CustomerLogoChanged', 'CustomerLogoRemoved']);
    });

    it('refuses other types (415), bytes that are not the declared type (415), oversize (413), appending nothing', async () => {
      const id = await activeCustomer();
      const put = (type: string, body: Buffer) => t.http().put(`/api/v1/customers/${id}/logo`).set('Authorization', agent).set('Content-Type', type).send(body);
      expectProblem(await put('image/gif', Buffer.from('GIF89a....')), 415, 'CUSTOMER.LOGO_UNSUPPORTED_TYPE');
      expectProblem(await put('image/png', JPEG), 415, 'CUSTOMER.LOGO_UNSUPPORTED_TYPE');
      expectProblem(await put('image/webp', Buffer.from('not an image at all')), 415, 'CUSTOMER.LOGO_UNSUPPORTED_TYPE');
      expectProblem(await put('image/png', Buffer.concat([PNG, Buffer.alloc(512 * 1024)])), 413, 'CUSTOMER.LOGO_TOO_LARGE');
      expect(await streamEvents(id)).toEqual(['CustomerInvited', 'InvitationAccepted']);
      const rows = await t.pool.query('SELECT 1 FROM customer_logos WHERE customer_id = $1', [id]);
      expect(rows.rowCount).toBe(0);
    });

    it("is 404 for another partner's customer, storing nothing", async () => {
      const id = await activeCustomer();
      const res = await t.http().put(`/api/v1/customers/${id}/logo`).set('Authorization', otherAdmin).set('Content-Type', 'image/png').send(PNG);
      expectProblem(res, 404, 'CUSTOMER.NOT_FOUND');
      expect((await t.pool.query('SELECT 1 FROM customer_logos WHERE customer_id = $1', [id])).rowCount).toBe(0);
    });
  });

  describe('tags and management mode', () => {
    it('sets tags; management mode goes to customer (global-admin only) and never back; then edits are refused', async () => {
      const id = await activeCustomer();
      const tags = await t.http().put(`/api/v1/customers/${id}/tags`).set('Authorization', agent).send({ tags: ['silver', ' eu ', 'eu'] });
      expect(tags.status).toBe(200);
      expect(tags.body.tags).toEqual(['silver', 'eu']);
      expectProblem(await t.http().put(`/api/v1/customers/${id}/tags`).set('Authorization', agent).send({ tags: ['x'.repeat(65)] }), 400, 'REQUEST.INVALID');

      expectProblem(await t.http().put(`/api/v1/customers/${id}/management-mode`).set('Authorization', agent).send({ mode: 'customer' }), 403, 'AUTH.FORBIDDEN');
      const mode = await t.http().put(`/api/v1/customers/${id}/management-mode`).set('Authorization', admin).send({ mode: 'customer' });
      expect(mode.status).toBe(200);
      expect(mode.body.managementMode).toBe('customer');
      expectProblem(
        await t.http().put(`/api/v1/customers/${id}/management-mode`).set('Authorization', admin).send({ mode: 'partner' }),
        409,
        'CUSTOMER.MANAGEMENT_MODE_IRREVERSIBLE',
      );
      expectProblem(await t.http().put(`/api/v1/customers/${id}/management-mode`).set('Authorization', admin).send({ mode: 'tenant' }), 400, 'REQUEST.INVALID');
      expectProblem(await t.http().patch(`/api/v1/customers/${id}`).set('Authorization', admin).send({ locale: 'fr' }), 409, 'CUSTOMER.CUSTOMER_MANAGED');
      expectProblem(await t.http().put(`/api/v1/customers/${id}/tags`).set('Authorization', admin).send({ tags: [] }), 409, 'CUSTOMER.CUSTOMER_MANAGED');
      expect(await streamEvents(id)).toEqual(['CustomerInvited', 'InvitationAccepted', 'CustomerTagsChanged', 'ManagementModeChanged']);
    });
  });

  describe('DELETE /api/v1/customers/{id} (disconnect)', () => {
    it('needs global-admin and the literal "Yes"; erases logo and personal data; then the customer is gone', async () => {
      const id = await activeCustomer();
      await t.http().put(`/api/v1/customers/${id}/logo`).set('Authorization', agent).set('Content-Type', 'image/png').send(PNG).expect(200);

      expectProblem(await t.http().delete(`/api/v1/customers/${id}`).set('Authorization', agent).send({ confirmation: 'Yes' }), 403, 'AUTH.FORBIDDEN');
      const wrong = await t.http().delete(`/api/v1/customers/${id}`).set('Authorization', admin).send({ confirmation: 'yes' });
      expectProblem(wrong, 400, 'CUSTOMER.CONFIRMATION_REQUIRED');
      expect(problem(wrong).errors).toEqual([{ field: 'confirmation', message: expect.any(String) }]);
      expectProblem(await t.http().delete(`/api/v1/customers/${id}`).set('Authorization', admin), 400, 'CUSTOMER.CONFIRMATION_REQUIRED');
      expectProblem(await t.http().delete(`/api/v1/customers/${id}`).set('Authorization', otherAdmin).send({ confirmation: 'Yes' }), 404, 'CUSTOMER.NOT_FOUND');

      const res = await t.http().delete(`/api/v1/customers/${id}`).set('Authorization', admin).send({ confirmation: 'Yes' });
      expect(res.status).toBe(204);
      expect(res.headers['x-log-position']).toMatch(/^\d+$/);

      expect((await t.pool.query('SELECT 1 FROM customer_logos WHERE customer_id = $1', [id])).rowCount).toBe(0);
      const store = t.system.app.select(CustomersModule).get<EventStore>(EVENT_STORE, { strict: false });
      const [invited, accepted] = await store.readStream(`customer-${id}`);
      expect(invited.data).toMatchObject({ organizationName: 'Contoso Ltd', contactEmail: null });
      expect(invited.metadata.personalDataErased).toBe(true);
      expect(accepted.data).toMatchObject({ registeredAccount: null });

      expectProblem(await t.http().delete(`/api/v1/customers/${id}`).set('Authorization', admin).send({ confirmation: 'Yes' }), 404, 'CUSTOMER.ALREADY_DISCONNECTED');
      expectProblem(await t.http().patch(`/api/v1/customers/${id}`).set('Authorization', admin).send({ locale: 'fr' }), 404, 'CUSTOMER.NOT_FOUND');
      expectProblem(await t.http().get(`/api/v1/customers/${id}/logo`).set('Authorization', admin), 404, 'CUSTOMER.NOT_FOUND');
      expect(await streamEvents(id)).toEqual(['CustomerInvited', 'InvitationAccepted', 'CustomerLogoChanged', 'CustomerDisconnected']);
    });
  });

  describe('disconnection erasure guarantee', () => {
    it('erases logo and data key for a CustomerDisconnected appended by a request that died before erasing', async () => {
      const id = await activeCustomer();
      await t.http().put(`/api/v1/customers/${id}/logo`).set('Authorization', agent).set('Content-Type', 'image/png').send(PNG).expect(200);
      const store = t.system.app.select(CustomersModule).get<EventStore>(EVENT_STORE, { strict: false });
      await store.append(
        `customer-${id}`,
        [
          {
            id: uuidv7(),
            type: 'CustomerDisconnected',
            schemaVersion: 1,
            data: {},
            metadata: {
              partnerId: t.partnerA.partnerId,
              customerId: id,
              occurredAt: new Date().toISOString(),
              correlationId: uuidv7(),
              actor: { type: 'user', id: t.partnerA.users['global-admin'].userId },
            },
          },
        ],
        { expectedVersion: 3 },
      );
      const deadline = Date.now() + 15_000;
      for (;;) {
        const logos = (await t.pool.query('SELECT 1 FROM customer_logos WHERE customer_id = $1', [id])).rowCount;
        const shredded = (await t.pool.query('SELECT 1 FROM data_keys WHERE subject_id = $1 AND shredded_at IS NOT NULL', [id])).rowCount;
        if (logos === 0 && shredded === 1) break;
        if (Date.now() > deadline) throw new Error(`not erased: logos=${logos} shredded=${shredded}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const [invited] = await store.readStream(`customer-${id}`);
      expect(invited.data).toMatchObject({ contactEmail: null });
    });
  });

  describe('integration events', () => {
    it('the relay announces the write side’s events (invitation with its link) and parks none', async () => {
      await activeCustomer();
      const published = (metrics: string, type: string) =>
        Number(new RegExp(`integration_events_published_total\\{type="${type}"\\} (\\d+)`).exec(metrics)?.[1] ?? 0);
      const deadline = Date.now() + 15_000;
      let ready: { details: Record<string, { projections?: Record<string, { parked: number; lag: number }> }> } | undefined;
      for (;;) {
        const metrics = (await t.http().get('/metrics')).text;
        ready = (await t.http().get('/health/ready')).body as typeof ready;
        const projections = ready!.details['customers.projections'].projections!;
        if (published(metrics, 'CustomerInvited') > 0 && published(metrics, 'InvitationAccepted') > 0 && projections['customers.integration-relay'].lag === 0) break;
        if (Date.now() > deadline) throw new Error(`relay did not catch up: ${JSON.stringify(ready)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const projections = ready!.details['customers.projections'].projections!;
      expect(projections['customers.integration-relay'].parked).toBe(0);
      expect(projections['customers.disconnection-erasure'].parked).toBe(0);
    });
  });
});
