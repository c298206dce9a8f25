import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uuidv7 } from '@platform/core';
import type { EventStore } from '@platform/event-store';
import { DEMO_PARTNER_ID, EMBEDDED_JWT_SECRET_FILE, EVENT_STORE, signJwt, verifyJwt, type PartnerRole } from '@platform/service-kit';
import { CustomersModule } from '../../apps/customers/src/customers.module';
import { startEmbeddedSystem, type EmbeddedSystem } from './embedded-system';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const BURST = 15;

/** The edge of the embedded system: tokens, roles, rate limiting and idempotency on the real routes. */
describe('embedded system edge (auth, rate limiting, idempotency)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'platform-edge-'));
  let system: EmbeddedSystem;
  let secret: string;

  const bearer = (roles: PartnerRole[], user = uuidv7(), partner = DEMO_PARTNER_ID) =>
    `Bearer ${signJwt({ sub: user, pid: partner, roles }, secret, 600)}`;
  const call = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) => fetch(`${system.url}${path}`, init);
  const invitation = (name: string) =>
    JSON.stringify({
      organizationName: name,
      primaryDomain: `${name.toLowerCase().replace(/[^a-z]/g, '')}.example`,
      countryCode: 'IT',
      accountType: 'microsoft365-global-admin',
      contactEmail: 'it@example.com',
    });

  beforeAll(async () => {
    system = await startEmbeddedSystem({
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_MINUTE: '60',
      RATE_LIMIT_BURST: String(BURST),
    });
    secret = readFileSync(join(dataDir, EMBEDDED_JWT_SECRET_FILE), 'utf8').trim();
  });
  afterAll(async () => {
    await system?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('generates a token secret in the data folder when AUTH_JWT_SECRET is not set', () => {
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(system.config.authJwtSecret).toBe(secret);
    expect(verifyJwt(signJwt({ sub: 'u', pid: DEMO_PARTNER_ID, roles: ['auditor'] }, secret, 60), secret).partnerId).toBe(DEMO_PARTNER_ID);
  });

  it('answers 401 problem+json without a token, and serves health without one', async () => {
    const res = await call('/api/v1/customers');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(((await res.json()) as { code: string }).code).toBe('AUTH.UNAUTHENTICATED');
    expect((await call('/health/live')).status).toBe(200);
  });

  it('answers 403 AUTH.FORBIDDEN when the role may not do it (auditor inviting)', async () => {
    const res = await call('/api/v1/customers', {
      method: 'POST',
      headers: { Authorization: bearer(['auditor']), 'Content-Type': 'application/json' },
      body: invitation('Forbidden Ltd'),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('AUTH.FORBIDDEN');
  });

  it('replays an invitation sent twice with the same Idempotency-Key: one customer, same answer', async () => {
    const admin = bearer(['admin-agent']);
    const post = (body: string) =>
      call('/api/v1/customers', {
        method: 'POST',
        headers: { Authorization: admin, 'Content-Type': 'application/json', 'Idempotency-Key': 'invite-once' },
        body,
      });
    const first = await post(invitation('Idempotent Spa'));
    const firstBody = await first.text();
    expect(first.status).toBe(201);
    const again = await post(invitation('Idempotent Spa'));
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.text()).toBe(firstBody);
    for (const header of ['location', 'etag', 'x-log-position']) expect(again.headers.get(header)).toBe(first.headers.get(header));

    const reused = await post(invitation('Another Spa'));
    expect(reused.status).toBe(422);
    expect(((await reused.json()) as { code: string }).code).toBe('IDEMPOTENCY.KEY_REUSED');
  });

  it('records the request and correlation ids and the user in the metadata of the events a request causes', async () => {
    const userId = uuidv7();
    const res = await call('/api/v1/customers', {
      method: 'POST',
      headers: {
        Authorization: bearer(['global-admin'], userId),
        'Content-Type': 'application/json',
        'X-Request-Id': 'edge-req-1',
        'X-Correlation-Id': 'edge-corr-1',
      },
      body: invitation('Traced Srl'),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-correlation-id')).toBe('edge-corr-1');
    const customerId = res.headers.get('location')!.split('/').pop()!;
    const store = system.app.select(CustomersModule).get<EventStore>(EVENT_STORE, { strict: false });
    const [invited] = await store.readStream(`customer-${customerId}`);
    expect(invited.metadata).toMatchObject({
      partnerId: DEMO_PARTNER_ID,
      customerId,
      correlationId: 'edge-corr-1',
      causationId: 'edge-req-1',
      actor: { type: 'user', id: userId },
    });
  });

  it('documents the bearer scheme, public operations and Idempotency-Key on every POST', async () => {
    const doc = (await (await call('/docs-json')).json()) as {
      security: unknown;
      paths: Record<string, Record<string, { security?: unknown; parameters?: Array<{ name: string; in: string }> }>>;
    };
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/v1/customers'].get.security).toBeUndefined();
    expect(doc.paths['/api/v1/invitations/{token}:accept'].post.security).toEqual([]);
    expect(doc.paths['/health/live'].get.security).toEqual([]);
    for (const [path, item] of Object.entries(doc.paths)) {
      if (item.post) expect([path, item.post.parameters?.some((p) => p.name === 'Idempotency-Key' && p.in === 'header')]).toEqual([path, true]);
    }
  });

  it('answers 429 with Retry-After once a user has spent the burst, other users unaffected', async () => {
    const user = bearer(['auditor']);
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i <= BURST; i++) {
      const res = await call('/api/v1/customers', { headers: { Authorization: user } });
      statuses.push(res.status);
      if (res.status === 429) limited = res;
      else await res.arrayBuffer();
    }
    expect(statuses.slice(0, BURST).every((s) => s !== 429)).toBe(true);
    expect(statuses[BURST]).toBe(429);
    expect(limited!.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited!.headers.get('ratelimit-remaining')).toBe('0');
    expect(((await limited!.json()) as { code: string }).code).toBe('RATE_LIMIT.EXCEEDED');

    expect((await call('/api/v1/customers', { headers: { Authorization: bearer(['auditor']) } })).status).not.toBe(429);
    expect((await call('/health/ready')).status).not.toBe(429);
    expect((await call('/metrics')).status).toBe(200);
  });
});
