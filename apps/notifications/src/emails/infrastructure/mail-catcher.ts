import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import { SMTPServer } from 'smtp-server';
import { parseMessage } from './mime';

export interface CaughtMessageSummary {
  id: string;
  receivedAt: string;
  from: string | null;
  to: string[];
  subject: string;
  text: string | null;
}

const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/**
 * The embedded mode's mail server when no SMTP_URL is given: a real SMTP server on loopback
 * inside the process that keeps every message it accepts (in `notifications_dev_mailbox`, so
 * they survive a restart), listed at GET /api/v1/dev/mailbox. Nothing leaves the machine.
 */
export class MailCatcher {
  private server: SMTPServer | undefined;
  private port = 0;

  constructor(private readonly pool: Pool) {}

  async start(): Promise<string> {
    const server = new SMTPServer({
      authOptional: true,
      hideSTARTTLS: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      size: MAX_MESSAGE_BYTES,
      banner: 'msp-platform embedded mail catcher',
      closeTimeout: 1000,
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
          const to = session.envelope.rcptTo.map((r) => r.address);
          this.pool
            .query('INSERT INTO notifications_dev_mailbox (mail_from, rcpt_to, raw) VALUES ($1, $2, $3)', [from, to, raw])
            .then(
              () => callback(),
              (e: unknown) => callback(Object.assign(new Error(`mailbox unavailable: ${String(e)}`), { responseCode: 451 })),
            );
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    server.on('error', () => undefined);
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
    return this.url();
  }

  url(): string {
    return `smtp://127.0.0.1:${this.port}?tls=off`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async list(limit: number): Promise<CaughtMessageSummary[]> {
    const { rows } = await this.pool.query<{ id: string; received_at: Date; mail_from: string | null; rcpt_to: string[]; raw: string }>(
      'SELECT id::text AS id, received_at, mail_from, rcpt_to, raw FROM notifications_dev_mailbox ORDER BY id DESC LIMIT $1',
      [limit],
    );
    return rows.map((r) => {
      const parsed = parseMessage(r.raw);
      return { id: r.id, receivedAt: r.received_at.toISOString(), from: r.mail_from, to: r.rcpt_to, subject: parsed.subject, text: parsed.text ?? null };
    });
  }

  async get(id: string): Promise<{ summary: CaughtMessageSummary; html: string | null; raw: string } | undefined> {
    if (!/^\d{1,18}$/.test(id)) return undefined;
    const { rows } = await this.pool.query<{ id: string; received_at: Date; mail_from: string | null; rcpt_to: string[]; raw: string }>(
      'SELECT id::text AS id, received_at, mail_from, rcpt_to, raw FROM notifications_dev_mailbox WHERE id = $1',
      [id],
    );
    const r = rows[0];
    if (!r) return undefined;
    const parsed = parseMessage(r.raw);
    return {
      summary: { id: r.id, receivedAt: r.received_at.toISOString(), from: r.mail_from, to: r.rcpt_to, subject: parsed.subject, text: parsed.text ?? null },
      html: parsed.html ?? null,
      raw: r.raw,
    };
  }
}
