import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { uuidv7 } from '@platform/core';
import type { EventStore, NewEvent } from '@platform/event-store';
import { EVENT_STORE, PG_POOL } from '@platform/service-kit';
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

async function get(system: EmbeddedSystem, path: string) {
  const res = await fetch(`${system.url}${path}`);
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, json: () => JSON.parse(text) };
}

/** Polls readiness until `done` holds for the body (the relay runs in the background). */
async function waitForReady(system: EmbeddedSystem, done: (body: ReadyBody) => boolean): Promise<ReadyBody> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await get(system, '/health/ready');
    const body = res.json() as ReadyBody;
    if (res.status === 200 && done(body)) return body;
    if (Date.now() > deadline) throw new Error(`readiness never reached the expected state: ${res.text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface ProjectionDetails {
  state: string;
  position: string;
  lag: number;
  parked: number;
  stuck: boolean;
}
interface ReadyBody {
  status: string;
  details: Record<string, { status: string; projections?: Record<string, ProjectionDetails> }>;
}

const relayOf = (body: ReadyBody) => body.details['customers.projections'].projections!['customers.integration-relay'];

/** Every local `$ref` of the document points at something that exists. */
function danglingRefs(document: Record<string, unknown>): string[] {
  const refs: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string') refs.push(v);
        else walk(v);
      }
    }
  };
  walk(document);
  return refs.filter((ref) => {
    let at: unknown = document;
    for (const part of ref.replace(/^#\//, '').split('/')) at = (at as Record<string, unknown> | undefined)?.[part];
    return at === undefined;
  });
}

describe('embedded system (all services in one process on PGlite)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'platform-embedded-'));
  let env: Record<string, string>;
  let system: EmbeddedSystem | undefined;
  const customerId = uuidv7();
  const eventId = uuidv7();

  beforeAll(async () => {
    env = { DATA_DIR: dataDir, PORT: String(await freePort()), HOST: '127.0.0.1', LOG_LEVEL: 'silent' };
    system = await startEmbeddedSystem(env);
  });

  afterAll(async () => {
    await system?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs on embedded PostgreSQL and the in-process transport', () => {
    expect(system!.database).toBeDefined();
    expect(system!.config.kafka).toBeUndefined();
    expect(system!.url).toBe(`http://127.0.0.1:${env.PORT}`);
  });

  it('is live', async () => {
    const res = await get(system!, '/health/live');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('is ready, with every service checked and the projection statuses of each', async () => {
    // Readiness may trail the start by a moment (runners take their leases in the background).
    const body = await waitForReady(system!, () => true);
    expect(body.status).toBe('ok');
    for (const service of ['customers', 'subscriptions', 'reporting', 'notifications']) {
      expect(body.details[`${service}.database`].status).toBe('up');
      expect(body.details[`${service}.migrations`].status).toBe('up');
      expect(body.details[`${service}.projections`].status).toBe('up');
    }
    expect(body.details['gateway.database'].status).toBe('up');
    for (const [service, relay] of [
      ['customers', 'customers.integration-relay'],
      ['subscriptions', 'subscriptions.integration-relay'],
      ['reporting', 'reporting.integration-relay'],
    ]) {
      expect(body.details[`${service}.projections`].projections![relay]).toMatchObject({
        lag: expect.any(Number),
        parked: 0,
        stuck: false,
        position: expect.stringMatching(/^\d+$/),
      });
    }
  });

  it('relays a customer event to the in-process topic', async () => {
    const store = system!.app.select(CustomersModule).get<EventStore>(EVENT_STORE, { strict: false });
    const event: NewEvent = {
      id: eventId,
      type: 'CustomerTagsChanged',
      schemaVersion: 1,
      data: { tags: ['gold', 'italy'] },
      metadata: {
        partnerId: uuidv7(),
        customerId,
        occurredAt: new Date().toISOString(),
        correlationId: uuidv7(),
        actor: { type: 'user', id: uuidv7() },
      },
    };
    await store.append(`customer-${customerId}`, [event], { expectedVersion: 'no_stream' });
    const body = await waitForReady(system!, (b) => relayOf(b).position !== '0' && relayOf(b).lag === 0);
    expect(relayOf(body)).toMatchObject({ parked: 0, stuck: false });

    const metrics = (await get(system!, '/metrics')).text;
    expect(metrics).toContain('integration_events_published_total{type="CustomerTagsChanged"} 1');
  });

  it('serves Prometheus metrics with process, HTTP, projection and transport series', async () => {
    const res = await get(system!, '/metrics');
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^text\/plain/);
    for (const name of [
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_seconds',
      'http_request_duration_seconds_bucket',
      'projection_position',
      'projection_lag',
      'projection_lag_seconds',
      'projection_parked_events',
      'projection_stuck',
      'integration_events_published_total',
      'inbox_messages_total',
    ]) {
      expect(res.text).toMatch(new RegExp(`^# TYPE ${name.replace(/_bucket$/, '')} `, 'm'));
    }
    expect(res.text).toMatch(/projection_parked_events\{service="customers",projection="customers.integration-relay"\} 0/);
  });

  it('publishes a valid OpenAPI document with the health, metrics and problem schema', async () => {
    const res = await get(system!, '/docs-json');
    expect(res.status).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: '1' });
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health/live', '/health/ready', '/metrics']));
    expect(doc.components.schemas.ProblemDetailsDto).toBeDefined();
    expect(danglingRefs(doc)).toEqual([]);
    const ui = await get(system!, '/docs');
    expect(ui.status).toBe(200);
    expect(ui.contentType).toMatch(/text\/html/);
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const res = await fetch(`${system!.url}/api/v1/nothing-here`, { headers: { 'X-Correlation-Id': 'e2e-corr' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toEqual({
      type: 'urn:problem-type:http.not_found',
      title: 'Not Found',
      status: 404,
      detail: 'Cannot GET /api/v1/nothing-here',
      code: 'HTTP.NOT_FOUND',
      instance: '/api/v1/nothing-here',
      correlationId: 'e2e-corr',
    });
  });

  it('shuts down cleanly and restarts on the same data directory with the data kept', async () => {
    const first = system!;
    await first.stop();
    system = undefined;
    await expect(fetch(`${first.url}/health/live`)).rejects.toThrow();

    system = await startEmbeddedSystem(env);
    const store = system.app.select(CustomersModule).get<EventStore>(EVENT_STORE, { strict: false });
    const events = await store.readStream(`customer-${customerId}`);
    expect(events.map((e) => [e.id, e.type, e.data])).toEqual([[eventId, 'CustomerTagsChanged', { tags: ['gold', 'italy'] }]]);

    // The relay resumes from its checkpoint: the event is not published a second time.
    const body = await waitForReady(system, (b) => relayOf(b).lag === 0 && relayOf(b).position !== '0');
    expect(relayOf(body).parked).toBe(0);
    const pool = system.app.select(CustomersModule).get<Pool>(PG_POOL, { strict: false });
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM inprocess_messages WHERE headers->>'ce_id' = $1`,
      [eventId],
    );
    expect(rows[0].n).toBe(1);
  });
});
