import { createHash } from 'node:crypto';
import {
  Body,
  Controller,
  HttpCode,
  Module,
  Param,
  Post,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
  type INestApplication,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import type { Pool } from 'pg';
import request from 'supertest';
import { ValidationError } from '@platform/core';
import { createTestDatabase, type TestDatabase } from '@platform/testing';
import { Public } from '../auth/auth.decorators';
import { signJwt, type PartnerRole } from '../auth/jwt';
import { loadConfig } from '../config/service-config';
import { PG_POOL } from '../infrastructure/tokens';
import { createServiceApp } from '../runtime/create-service-app';
import { IdempotencyMiddleware } from './idempotency.middleware';
import { IdempotencyModule } from './idempotency.module';

const SECRET = 'idempotency-test-secret-at-least-32-chars';

class Gate {
  private release?: () => void;
  wait(): Promise<void> {
    return new Promise((resolve) => (this.release = resolve));
  }
  open(): void {
    this.release?.();
  }
}

const calls: Record<string, number> = {};
const count = (name: string) => (calls[name] = (calls[name] ?? 0) + 1);
const gate = new Gate();
let entered: () => void = () => undefined;

@Controller('idem')
class IdempotencyTestController {
  @Post('things')
  create(@Body() body: { name: string }, @Res({ passthrough: true }) res: Response) {
    const n = count('things');
    res.setHeader('Location', `/idem/things/${n}`);
    res.setHeader('ETag', `W/"${n}"`);
    res.setHeader('X-Log-Position', String(1000 + n));
    res.setHeader('X-Not-Replayed', 'x');
    return { n, name: body.name };
  }

  @Post('flaky')
  flaky() {
    if (count('flaky') === 1) throw new Error('database went away');
    return { ok: true };
  }

  @Post('invalid')
  invalid() {
    count('invalid');
    throw new ValidationError('name is missing', [{ field: 'name', message: 'name is required' }]);
  }

  @Post('slow')
  @HttpCode(200)
  async slow() {
    count('slow');
    entered();
    await gate.wait();
    return { slow: true };
  }

  @Post('raw')
  async raw(@Req() req: Request) {
    count('raw');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    return { length: body.length, sha256: createHash('sha256').update(body).digest('hex') };
  }

  @Post('upload')
  @UseInterceptors(FileInterceptor('file'))
  upload(@UploadedFile() file: { size: number; originalname: string }, @Body() body: { title?: string }) {
    count('upload');
    return { size: file.size, name: file.originalname, title: body.title };
  }

  @Post('invitations/:token/accept')
  @Public()
  accept(@Param('token') token: string) {
    return { accepted: token, n: count(`accept-${token}`) };
  }
}

const tokenOf = (user: string, partner = 'partner-1', roles: PartnerRole[] = ['admin-agent']) =>
  `Bearer ${signJwt({ sub: user, pid: partner, roles }, SECRET, 600)}`;
const alice = tokenOf('alice');
const bob = tokenOf('bob');

describe('Idempotency-Key on POST', () => {
  let db: TestDatabase;
  let pool: Pool;
  let app: INestApplication;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = db.pool();
    const poolModule = { module: class TestPoolModule {}, providers: [{ provide: PG_POOL, useValue: pool }], exports: [PG_POOL] };
    @Module({ imports: [IdempotencyModule.register({ imports: [poolModule] })], controllers: [IdempotencyTestController] })
    class TestModule implements NestModule {
      configure(consumer: MiddlewareConsumer) {
        consumer.apply(IdempotencyMiddleware).forRoutes('*path');
      }
    }
    app = await createServiceApp({
      config: loadConfig({ LOG_LEVEL: 'silent', AUTH_JWT_SECRET: SECRET }, { mode: 'embedded' }),
      modules: [TestModule],
    });
    await app.init();
    http = request(app.getHttpServer());
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('replays the first answer (status, body, Location/ETag/X-Log-Position) without executing again', async () => {
    const first = await http.post('/idem/things').set('Authorization', alice).set('Idempotency-Key', 'k-1').send({ name: 'Ada' }).expect(201);
    expect(first.body).toEqual({ n: 1, name: 'Ada' });
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    const again = await http.post('/idem/things').set('Authorization', alice).set('Idempotency-Key', 'k-1').send({ name: 'Ada' }).expect(201);
    expect(again.body).toEqual({ n: 1, name: 'Ada' });
    expect(again.headers).toMatchObject({
      'idempotent-replayed': 'true',
      location: '/idem/things/1',
      etag: 'W/"1"',
      'x-log-position': '1001',
      'content-type': first.headers['content-type'],
    });
    expect(again.headers['x-not-replayed']).toBeUndefined();
    expect(calls.things).toBe(1);
  });

  it('answers 422 IDEMPOTENCY.KEY_REUSED for the same key with another body or path, executing nothing', async () => {
    const res = await http.post('/idem/things').set('Authorization', alice).set('Idempotency-Key', 'k-1').send({ name: 'Bob' }).expect(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 422, code: 'IDEMPOTENCY.KEY_REUSED' });
    await http.post('/idem/flaky').set('Authorization', alice).set('Idempotency-Key', 'k-1').send({ name: 'Ada' }).expect(422);
    expect(calls.things).toBe(1);
    expect(calls.flaky).toBeUndefined();
  });

  it('scopes keys per user and executes every request without a key', async () => {
    const bobs = await http.post('/idem/things').set('Authorization', bob).set('Idempotency-Key', 'k-1').send({ name: 'Ada' }).expect(201);
    expect(bobs.body.n).toBe(2);
    const otherPartner = tokenOf('alice', 'partner-2');
    expect((await http.post('/idem/things').set('Authorization', otherPartner).set('Idempotency-Key', 'k-1').send({ name: 'Ada' })).body.n).toBe(3);
    await http.post('/idem/things').set('Authorization', alice).send({ name: 'Ada' }).expect(201);
    await http.post('/idem/things').set('Authorization', alice).send({ name: 'Ada' }).expect(201);
    expect(calls.things).toBe(5);
  });

  it('releases the key when the handler fails with 5xx, so the retry runs', async () => {
    await http.post('/idem/flaky').set('Authorization', alice).set('Idempotency-Key', 'k-flaky').expect(500);
    const retry = await http.post('/idem/flaky').set('Authorization', alice).set('Idempotency-Key', 'k-flaky').expect(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    const replay = await http.post('/idem/flaky').set('Authorization', alice).set('Idempotency-Key', 'k-flaky').expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(calls.flaky).toBe(2);
  });

  it('keeps and replays 4xx answers', async () => {
    const first = await http.post('/idem/invalid').set('Authorization', alice).set('Idempotency-Key', 'k-invalid').send({}).expect(400);
    const again = await http.post('/idem/invalid').set('Authorization', alice).set('Idempotency-Key', 'k-invalid').send({}).expect(400);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(calls.invalid).toBe(1);
  });

  it('answers 409 IDEMPOTENCY.IN_PROGRESS to a retry while the first request runs', async () => {
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const first = http.post('/idem/slow').set('Authorization', alice).set('Idempotency-Key', 'k-slow').then((r) => r);
    await inside;
    const concurrent = await http.post('/idem/slow').set('Authorization', alice).set('Idempotency-Key', 'k-slow').expect(409);
    expect(concurrent.body.code).toBe('IDEMPOTENCY.IN_PROGRESS');
    expect(concurrent.headers['retry-after']).toBe('1');
    gate.open();
    expect((await first).status).toBe(200);
    const replay = await http.post('/idem/slow').set('Authorization', alice).set('Idempotency-Key', 'k-slow').expect(200, { slow: true });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(calls.slow).toBe(1);
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(256)],
    ['non-ASCII', 'clé'],
  ])('rejects a %s key with 400', async (_what, key) => {
    const res = await http.post('/idem/things').set('Authorization', alice).set('Idempotency-Key', key).send({ name: 'x' }).expect(400);
    expect(res.body.code).toBe('IDEMPOTENCY.KEY_INVALID');
  });

  it('fingerprints raw bodies without taking them from the handler', async () => {
    const payload = Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251));
    const digest = createHash('sha256').update(payload).digest('hex');
    const send = (body: Buffer) =>
      http.post('/idem/raw').set('Authorization', alice).set('Idempotency-Key', 'k-raw').set('Content-Type', 'application/octet-stream').send(body);
    expect((await send(payload).expect(201)).body).toEqual({ length: payload.length, sha256: digest });
    const replay = await send(payload).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    await send(Buffer.concat([payload, Buffer.from([1])])).expect(422);
    expect(calls.raw).toBe(1);
  });

  it('works with multipart uploads', async () => {
    const upload = () =>
      http
        .post('/idem/upload')
        .set('Authorization', alice)
        .set('Idempotency-Key', 'k-upload')
        .field('title', 'logo')
        .attach('file', Buffer.alloc(5000, 7), { filename: 'logo.png', contentType: 'image/png' });
    expect((await upload().expect(201)).body).toEqual({ size: 5000, name: 'logo.png', title: 'logo' });
    // A retry of the same upload comes with a new random multipart boundary: still the same request.
    expect((await upload().expect(201)).headers['idempotent-replayed']).toBe('true');
    await http
      .post('/idem/upload')
      .set('Authorization', alice)
      .set('Idempotency-Key', 'k-upload')
      .field('title', 'logo')
      .attach('file', Buffer.alloc(5000, 8), { filename: 'logo.png', contentType: 'image/png' })
      .expect(422);
    expect(calls.upload).toBe(1);
  });

  it('scopes keys of public routes by route', async () => {
    await http.post('/idem/invitations/t1/accept').set('Idempotency-Key', 'same').expect(201, { accepted: 't1', n: 1 });
    const replay = await http.post('/idem/invitations/t1/accept').set('Idempotency-Key', 'same').expect(201, { accepted: 't1', n: 1 });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    await http.post('/idem/invitations/t2/accept').set('Idempotency-Key', 'same').expect(201, { accepted: 't2', n: 1 });
  });

  it('forgets keys after they expire', async () => {
    await http.post('/idem/things').set('Authorization', alice).set('Idempotency-Key', 'k-expiring').send({ name: 'E' }).expect(201);
    const before = calls.things;
    await pool.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = 'k-expiring'`);
    const again = await http.post('/idem/things').set('Authorization', alice).set('Idempotency-Key', 'k-expiring').send({ name: 'E' }).expect(201);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(calls.things).toBe(before + 1);
  });

  it('keeps no key for a request with an invalid token', async () => {
    await http.post('/idem/things').set('Authorization', 'Bearer nope').set('Idempotency-Key', 'k-unauth').send({ name: 'x' }).expect(401);
    const { rows } = await pool.query(`SELECT 1 FROM idempotency_keys WHERE key = 'k-unauth'`);
    expect(rows).toEqual([]);
  });
});
