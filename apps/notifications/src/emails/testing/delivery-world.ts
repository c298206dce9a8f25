import type { Pool } from 'pg';
import { uuidv7, type Clock } from '@platform/core';
import { toKafkaMessage, Topics, type IntegrationEvent, type IntegrationEventEnvelope } from '@platform/contracts';
import { InboxProcessor, migrateInbox, type ReceivedMessage } from '@platform/messaging';
import { createTestDatabase, type TestDatabase } from '@platform/testing';
import { CustomerEventsHandler } from '../../customer-emails/customer-events.handler';
import { CustomerFactsStore } from '../../customer-facts/customer-facts.store';
import { ReportEventsHandler } from '../../report-emails/report-events.handler';
import { ReportRecipientsStore } from '../../report-recipients/infrastructure/report-recipients.store';
import { VerificationTokenSigner } from '../../report-recipients/infrastructure/verification-token';
import { migrateNotifications } from '../../shared/notifications-schema';
import { EmailOutbox } from '../infrastructure/email-outbox';
import { EmailQueue } from '../infrastructure/email-queue';
import { EmailSender, type EmailSenderOptions } from '../infrastructure/email-sender';
import { SmtpMailer } from '../infrastructure/smtp-mailer';
import { TemplateCatalog } from '../infrastructure/template-catalog';
import { TestSmtpServer } from './test-smtp-server';

/**
 * The notifications pipeline without Nest: a fresh database, the inbox consumers' handlers, the
 * outbox and a sender delivering to a real SMTP server on loopback.
 */
export class DeliveryWorld {
  readonly partnerId = uuidv7();
  readonly facts = new CustomerFactsStore();
  readonly recipients = new ReportRecipientsStore();
  readonly signer = new VerificationTokenSigner('delivery-world-secret-0123456789abcdef', 'http://console.test');
  readonly catalog = new TemplateCatalog();
  outbox!: EmailOutbox;
  queue!: EmailQueue;
  sender!: EmailSender;
  mailer!: SmtpMailer;
  customerEvents!: CustomerEventsHandler;
  reportEvents!: ReportEventsHandler;
  customersInbox!: InboxProcessor;
  reportingInbox!: InboxProcessor;
  private offset = 0;

  private constructor(
    readonly db: TestDatabase,
    readonly pool: Pool,
    readonly smtp: TestSmtpServer,
    readonly clock: Clock,
  ) {}

  static async start(
    options: { sender?: EmailSenderOptions; clock?: Clock; maxConnections?: number; parse?: boolean; /** Deliver elsewhere than the world's own server. */ smtpUrl?: string } = {},
  ): Promise<DeliveryWorld> {
    const db = await createTestDatabase();
    const pool = db.pool({ max: 24 });
    await migrateInbox(pool);
    await migrateNotifications(pool);
    const smtp = await new TestSmtpServer().start({ parse: options.parse });
    const world = new DeliveryWorld(db, pool, smtp, options.clock ?? { now: () => new Date() });
    world.outbox = new EmailOutbox(pool);
    world.mailer = new SmtpMailer({ url: options.smtpUrl ?? smtp.url, from: 'Portal <portal@msp.test>', maxConnections: options.maxConnections });
    world.sender = new EmailSender(world.outbox, world.mailer, {
      backoff: { initialMs: 50, maxMs: 300, jitter: 0.5 },
      pollMs: 200,
      ...options.sender,
    });
    world.queue = new EmailQueue(world.catalog, world.outbox, () => world.sender.wake());
    world.customerEvents = new CustomerEventsHandler({
      facts: world.facts,
      recipients: world.recipients,
      queue: world.queue,
      outbox: world.outbox,
      signer: world.signer,
      clock: world.clock,
      ids: { next: () => uuidv7() },
    });
    world.reportEvents = new ReportEventsHandler({ facts: world.facts, recipients: world.recipients, queue: world.queue });
    const quiet = { warn: () => undefined };
    world.customersInbox = new InboxProcessor({ consumer: 'notifications.customer-emails', pool, handler: world.customerEvents.handle, logger: quiet });
    world.reportingInbox = new InboxProcessor({ consumer: 'notifications.report-emails', pool, handler: world.reportEvents.handle, logger: quiet });
    return world;
  }

  /** An envelope of this world's partner about `customerId`. */
  envelope<T extends IntegrationEvent['type']>(
    type: T,
    customerId: string,
    data: Extract<IntegrationEvent, { type: T }>['data'],
    id = uuidv7(),
  ): IntegrationEventEnvelope {
    const producer = type === 'ReportGenerated' || type === 'ScheduledReportExported' || type === 'BackupJobCompleted' ? 'reporting' : 'customers';
    return {
      id,
      type,
      version: 1,
      source: `/msp-platform/${producer}`,
      time: new Date().toISOString(),
      subject: customerId,
      partnerId: this.partnerId,
      correlationId: uuidv7(),
      actor: { type: 'user', id: uuidv7() },
      data,
    };
  }

  /** Delivers the event as a transport would (a Kafka message through the inbox); again and again if asked. */
  deliver(envelope: IntegrationEventEnvelope): Promise<string> {
    const message = toKafkaMessage(envelope);
    const received: ReceivedMessage = { ...message, topic: message.topic, partition: 0, offset: String(this.offset++) };
    const inbox = message.topic === Topics.reporting ? this.reportingInbox : this.customersInbox;
    return inbox.process(received);
  }

  invited(customerId: string, overrides: Partial<{ contactEmail: string; locale: string; organizationName: string }> = {}): IntegrationEventEnvelope {
    return this.envelope('CustomerInvited', customerId, {
      organizationName: overrides.organizationName ?? 'Contoso Ltd',
      primaryDomain: 'contoso.example',
      countryCode: 'IT',
      accountType: 'microsoft365-global-admin',
      locale: overrides.locale ?? 'en',
      tags: [],
      contactEmail: overrides.contactEmail ?? `admin-${customerId.slice(-12)}@contoso.example`,
      invitation: {
        link: `https://console.test/api/v1/invitations/tok-${customerId}:accept`,
        expiresAt: '2030-01-08T09:30:00.000Z',
        draftEmail: 'Hello,\n\nplease accept our invitation.',
      },
    });
  }

  async outboxRows(customerId?: string): Promise<Array<{ recipient: string; status: string; attempts: number; last_error: string | null; kind: string }>> {
    const { rows } = await this.pool.query(
      'SELECT recipient, status, attempts, last_error, kind FROM notifications_outbox WHERE ($1::text IS NULL OR customer_id = $1) ORDER BY recipient',
      [customerId ?? null],
    );
    return rows as Array<{ recipient: string; status: string; attempts: number; last_error: string | null; kind: string }>;
  }

  async waitForOutbox(predicate: (rows: Awaited<ReturnType<DeliveryWorld['outboxRows']>>) => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (predicate(await this.outboxRows())) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async stop(): Promise<void> {
    await this.sender.stop();
    await this.mailer.close();
    await this.smtp.stop();
    await this.pool.end();
    await this.db.close();
  }
}
