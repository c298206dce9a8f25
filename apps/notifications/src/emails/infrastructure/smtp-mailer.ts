import { createTransport, type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';

export interface OutgoingEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Stable Message-ID per outbox row, so a receiver can spot a resend after a crash. */
  messageId: string;
}

export type SendOutcome = { ok: true } | { ok: false; permanent: boolean; reason: string };

/** Sends one email; never throws (the outcome says whether to retry). */
export interface Mailer {
  send(email: OutgoingEmail): Promise<SendOutcome>;
  close(): Promise<void>;
}

interface SmtpError {
  code?: string;
  responseCode?: number;
  command?: string;
  message?: string;
}

/**
 * What a failed send means: a 5xx answer (mailbox unknown, message refused) or an address
 * nodemailer cannot use is permanent; 4xx answers, timeouts and connection failures are
 * worth another try. The reason names codes only: SMTP answers often quote the address.
 */
export function classifySmtpError(error: unknown): { permanent: boolean; reason: string } {
  const e = (error ?? {}) as SmtpError;
  const code = typeof e.code === 'string' ? e.code : 'UNKNOWN';
  const status = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const command = typeof e.command === 'string' ? ` on ${e.command}` : '';
  if (status !== undefined) {
    return { permanent: status >= 500 && status < 600, reason: `SMTP ${status} (${code})${command}` };
  }
  // EENVELOPE without an answer: no valid recipient address at all.
  if (code === 'EENVELOPE' || code === 'EMESSAGE') return { permanent: true, reason: `${code}: the message or address was refused` };
  return { permanent: false, reason: code };
}

export interface SmtpMailerOptions {
  url: string;
  from: string;
  /** Parallel SMTP connections (default 16). */
  maxConnections?: number;
}

/** Sends over SMTP through a pool of kept-open connections (nodemailer's smtp-pool). */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter<SMTPPool.SentMessageInfo>;

  constructor(private readonly options: SmtpMailerOptions) {
    const url = new URL(options.url);
    const secure = url.protocol === 'smtps:';
    this.transport = createTransport({
      pool: true,
      maxConnections: options.maxConnections ?? 16,
      maxMessages: Infinity,
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port ? Number(url.port) : secure ? 465 : 587,
      secure,
      ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
      // Loopback servers (the mail catcher, tests) speak plain SMTP; anything else must offer TLS.
      ignoreTLS: url.searchParams.get('tls') === 'off',
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      logger: false,
      debug: false,
    });
  }

  async send(email: OutgoingEmail): Promise<SendOutcome> {
    try {
      await this.transport.sendMail({
        from: this.options.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: email.messageId,
        // base64 is encoded natively; quoted-printable character by character in JS.
        textEncoding: 'base64',
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      return { ok: true };
    } catch (e) {
      return { ok: false, ...classifySmtpError(e) };
    }
  }

  close(): Promise<void> {
    this.transport.close();
    return Promise.resolve();
  }
}
