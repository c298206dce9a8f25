import { randomBytes } from 'node:crypto';
import { Inject, Logger, Module, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { systemClock, uuidv7Generator } from '@platform/core';
import { MetricsService, PG_POOL, SERVICE_CONFIG, type ServiceConfig, publicBaseUrl } from '@platform/service-kit';
import { CustomerFactsStore } from '../customer-facts/customer-facts.store';
import { notificationsInfrastructure } from '../notifications-infrastructure';
import { ReportRecipientsStore } from '../report-recipients/infrastructure/report-recipients.store';
import { VerificationTokenSigner } from '../report-recipients/infrastructure/verification-token';
import { migrateNotifications } from '../shared/notifications-schema';
import { MAILER, NOTIFICATIONS_CLOCK, NOTIFICATIONS_IDS } from '../shared/notifications.tokens';
import { EmailOutbox } from './infrastructure/email-outbox';
import { EmailQueue } from './infrastructure/email-queue';
import { EmailSender } from './infrastructure/email-sender';
import { MailDelivery } from './infrastructure/mail-delivery';
import { TemplateCatalog } from './infrastructure/template-catalog';
import { DevMailboxHttpController } from './queries/dev-mailbox/dev-mailbox.http.controller';
import { EmailsHttpController } from './queries/list-emails/emails.http.controller';

const logger = new Logger('notifications.emails');

function createSigner(config: ServiceConfig): VerificationTokenSigner {
  let secret = config.authJwtSecret;
  if (!secret) {
    logger.warn('AUTH_JWT_SECRET is not set: verification links are signed with a per-process key');
    secret = randomBytes(32).toString('base64url');
  }
  return new VerificationTokenSigner(secret, publicBaseUrl(config));
}

/**
 * The email machinery every notifications feature shares: templates, the outbox and its
 * sender, where mail goes (SMTP or the embedded catcher), customer facts and report recipients.
 */
@Module({
  imports: [notificationsInfrastructure],
  controllers: [DevMailboxHttpController, EmailsHttpController],
  providers: [
    { provide: NOTIFICATIONS_CLOCK, useValue: systemClock },
    { provide: NOTIFICATIONS_IDS, useValue: uuidv7Generator },
    { provide: TemplateCatalog, useFactory: () => new TemplateCatalog() },
    { provide: EmailOutbox, inject: [PG_POOL], useFactory: (pool: Pool) => new EmailOutbox(pool) },
    {
      provide: MAILER,
      inject: [SERVICE_CONFIG, PG_POOL],
      useFactory: async (config: ServiceConfig, pool: Pool) => {
        // Tables first: the catcher stores what it receives in one of them.
        await migrateNotifications(pool);
        return MailDelivery.create(config, pool);
      },
    },
    {
      provide: EmailSender,
      inject: [EmailOutbox, MAILER, MetricsService],
      useFactory: (outbox: EmailOutbox, mailer: MailDelivery, metrics: MetricsService) => {
        const delivered = metrics.counter({ name: 'notifications_emails_total', help: 'Emails settled by the sender, by kind and outcome (sent, deferred = refused for now, parked = refused for good)', labelNames: ['kind', 'outcome'] });
        return new EmailSender(outbox, mailer, {
          logger: { info: (c, m) => logger.log(c, m), warn: (c, m) => logger.warn(c, m) },
          onSettled: (e, outcome) => delivered.inc({ kind: e.kind, outcome }),
        });
      },
    },
    {
      provide: EmailQueue,
      inject: [TemplateCatalog, EmailOutbox, EmailSender],
      useFactory: (catalog: TemplateCatalog, outbox: EmailOutbox, sender: EmailSender) => new EmailQueue(catalog, outbox, () => sender.wake()),
    },
    { provide: CustomerFactsStore, useFactory: () => new CustomerFactsStore() },
    { provide: ReportRecipientsStore, useFactory: () => new ReportRecipientsStore() },
    { provide: VerificationTokenSigner, inject: [SERVICE_CONFIG], useFactory: createSigner },
  ],
  exports: [
    notificationsInfrastructure,
    NOTIFICATIONS_CLOCK,
    NOTIFICATIONS_IDS,
    TemplateCatalog,
    EmailOutbox,
    EmailQueue,
    EmailSender,
    MAILER,
    CustomerFactsStore,
    ReportRecipientsStore,
    VerificationTokenSigner,
  ],
})
export class EmailsModule implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(MAILER) private readonly mailer: MailDelivery,
    private readonly sender: EmailSender,
    private readonly outbox: EmailOutbox,
    private readonly metrics: MetricsService,
  ) {}

  async onModuleInit(): Promise<void> {
    await migrateNotifications(this.pool);
    this.metrics.gauge({
      name: 'notifications_outbox_emails',
      help: 'Emails in the outbox by status (parked = refused permanently, waiting for an operator)',
      labelNames: ['status'],
      collect: async (g) => {
        const counts = await this.outbox.counts();
        for (const [status, n] of Object.entries(counts)) g.set({ status }, n);
      },
    });
  }

  onApplicationBootstrap(): void {
    this.sender.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.sender.stop();
    await this.mailer.close();
  }
}
