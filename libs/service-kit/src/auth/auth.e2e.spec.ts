import { Controller, Get, Post, Res, type INestApplication } from '@nestjs/common';
import type { Response } from 'express';
import request from 'supertest';
import { FakeClock } from '@platform/core';
import { loadConfig } from '../config/service-config';
import { assertVersionMatches, IfMatch, setEntityTag } from '../concurrency/entity-tag';
import { createOpenApiDocument } from '../openapi/openapi';
import { createServiceApp } from '../runtime/create-service-app';
import { CurrentActor, Public, Roles } from './auth.decorators';
import { eventMetadataFor } from './event-metadata';
import { signJwt, type AuthenticatedActor, type PartnerRole } from './jwt';

const SECRET = 'auth-e2e-secret-of-at-least-32-characters';
const clock = new FakeClock(new Date('2026-05-01T10:00:00.000Z'));

@Controller('auth-test')
class AuthTestController {
  @Get('me')
  me(@CurrentActor() actor: AuthenticatedActor) {
    return actor;
  }

  @Post('write')
  write() {
    return { written: true };
  }

  @Post('dangerous')
  @Roles('global-admin')
  dangerous() {
    return { done: true };
  }

  @Post('audited')
  @Roles('auditor')
  audited() {
    return { done: true };
  }

  @Get('open')
  @Public()
  open() {
    return { open: true };
  }

  @Get('metadata')
  metadata(@CurrentActor() actor: AuthenticatedActor) {
    return eventMetadataFor(actor, clock, { customerId: 'c-1' });
  }

  @Post('versioned')
  versioned(@IfMatch() ifMatch: number | undefined, @Res({ passthrough: true }) res: Response) {
    assertVersionMatches(ifMatch, 7);
    setEntityTag(res, 8);
    return { ifMatch: ifMatch ?? null };
  }
}

const tokenFor = (...roles: PartnerRole[]) => signJwt({ sub: 'user-1', pid: 'partner-1', roles }, SECRET, 600);

describe('authentication and authorisation over HTTP', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    app = await createServiceApp({
      config: loadConfig({ LOG_LEVEL: 'silent', AUTH_JWT_SECRET: SECRET }, { mode: 'embedded' }),
      modules: [{ module: class AuthTestModule {}, controllers: [AuthTestController] }],
    });
    await app.init();
    http = request(app.getHttpServer());
  });
  afterAll(() => app.close());

  it('answers 401 problem+json with WWW-Authenticate without a token', async () => {
    const res = await http.get('/auth-test/me').set('X-Correlation-Id', 'corr-401').expect(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(res.body).toMatchObject({ status: 401, code: 'AUTH.UNAUTHENTICATED', instance: '/auth-test/me', correlationId: 'corr-401' });
  });

  it('answers 401 with error="invalid_token" for a bad, foreign or non-bearer credential', async () => {
    for (const authorization of [
      'Bearer nonsense',
      `Bearer ${signJwt({ sub: 'u', pid: 'p', roles: ['global-admin'] }, 'another-secret-that-is-32-chars-long!!', 60)}`,
      'Basic dXNlcjpwYXNz',
    ]) {
      const res = await http.get('/auth-test/me').set('Authorization', authorization).expect(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token"');
      expect(res.body.code).toBe('AUTH.UNAUTHENTICATED');
    }
  });

  it('gives the verified actor to the handler', async () => {
    const res = await http.get('/auth-test/me').set('Authorization', `Bearer ${tokenFor('auditor', 'admin-agent')}`).expect(200);
    expect(res.body).toEqual({ userId: 'user-1', partnerId: 'partner-1', roles: ['auditor', 'admin-agent'] });
  });

  it('lets public routes through without a token', async () => {
    await http.get('/auth-test/open').expect(200, { open: true });
    await http.get('/health/live').expect(200);
    await http.get('/metrics').expect(200);
  });

  it('keeps auditors read-only unless a route names them, and enforces @Roles with 403', async () => {
    const forbidden = await http.post('/auth-test/write').set('Authorization', `Bearer ${tokenFor('auditor')}`).expect(403);
    expect(forbidden.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(forbidden.body).toMatchObject({ status: 403, code: 'AUTH.FORBIDDEN' });
    await http.post('/auth-test/write').set('Authorization', `Bearer ${tokenFor('admin-agent')}`).expect(201);
    await http.post('/auth-test/audited').set('Authorization', `Bearer ${tokenFor('auditor')}`).expect(201);

    await http.post('/auth-test/dangerous').set('Authorization', `Bearer ${tokenFor('admin-agent', 'auditor')}`).expect(403);
    await http.post('/auth-test/dangerous').set('Authorization', `Bearer ${tokenFor('global-admin')}`).expect(201);
    // global-admin may do everything, including routes that name other roles only.
    await http.post('/auth-test/audited').set('Authorization', `Bearer ${tokenFor('global-admin')}`).expect(201);
  });

  it('builds event metadata from the actor and the request ids', async () => {
    const res = await http
      .get('/auth-test/metadata')
      .set('Authorization', `Bearer ${tokenFor('auditor')}`)
      .set('X-Request-Id', 'req-9')
      .set('X-Correlation-Id', 'corr-9')
      .expect(200);
    expect(res.body).toEqual({
      partnerId: 'partner-1',
      customerId: 'c-1',
      occurredAt: '2026-05-01T10:00:00.000Z',
      correlationId: 'corr-9',
      causationId: 'req-9',
      actor: { type: 'user', id: 'user-1' },
    });
  });

  it('parses If-Match, answers 412 when stale and 400 when malformed, and sets the ETag', async () => {
    const auth = `Bearer ${tokenFor('admin-agent')}`;
    const ok = await http.post('/auth-test/versioned').set('Authorization', auth).set('If-Match', 'W/"7"').expect(201);
    expect(ok.body).toEqual({ ifMatch: 7 });
    expect(ok.headers.etag).toBe('W/"8"');
    await http.post('/auth-test/versioned').set('Authorization', auth).set('If-Match', '"7"').expect(201);
    await http.post('/auth-test/versioned').set('Authorization', auth).expect(201, { ifMatch: null });
    await http.post('/auth-test/versioned').set('Authorization', auth).set('If-Match', '*').expect(201, { ifMatch: null });

    const stale = await http.post('/auth-test/versioned').set('Authorization', auth).set('If-Match', 'W/"6"').expect(412);
    expect(stale.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(stale.body).toMatchObject({ status: 412, code: 'REQUEST.PRECONDITION_FAILED' });

    for (const bad of ['7', 'W/"x"', '"7", "8"', 'W/7']) {
      const res = await http.post('/auth-test/versioned').set('Authorization', auth).set('If-Match', bad).expect(400);
      expect(res.body.code).toBe('REQUEST.INVALID_IF_MATCH');
    }
  });

  it('documents the bearer scheme, required everywhere except on public operations', () => {
    const doc = createOpenApiDocument(app);
    expect(doc.components?.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/auth-test/me'].get!.security).toBeUndefined();
    expect(doc.paths['/auth-test/open'].get!.security).toEqual([]);
    expect(doc.paths['/health/live'].get!.security).toEqual([]);
    expect(doc.paths['/metrics'].get!.security).toEqual([]);
    expect(JSON.stringify(doc)).not.toContain('x-public');
  });
});
