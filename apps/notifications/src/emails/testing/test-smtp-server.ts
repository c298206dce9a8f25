import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { parseMessage, type ParsedMessage } from '../infrastructure/mime';

export interface ReceivedEmail extends ParsedMessage {
  envelopeTo: string[];
  raw: string;
  receivedAt: number;
}

export type SmtpBehaviour = 'accept' | 'tempfail' | 'permfail';

/**
 * A real SMTP server on loopback for tests and benchmarks: keeps what it accepts, and can be
 * told to refuse temporarily (451) or permanently (550), for everyone or some addresses.
 */
export class TestSmtpServer {
  readonly received: ReceivedEmail[] = [];
  behaviour: SmtpBehaviour = 'accept';
  /** Addresses answered 550 whatever `behaviour` says. */
  readonly rejected = new Set<string>();
  refusals = 0;
  onMessage?: (email: ReceivedEmail) => void;
  private server: SMTPServer | undefined;
  private port = 0;

  async start(options: { parse?: boolean; port?: number } = {}): Promise<this> {
    const parse = options.parse ?? true;
    const server = new SMTPServer({
      authOptional: true,
      hideSTARTTLS: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      maxClients: 100,
      closeTimeout: 200,
      onRcptTo: (address, _session, callback) => {
        const to = address.address.toLowerCase();
        if (this.rejected.has(to) || this.behaviour === 'permfail') {
          this.refusals++;
          return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
        }
        if (this.behaviour === 'tempfail') {
          this.refusals++;
          return callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const envelopeTo = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
          const email: ReceivedEmail = parse
            ? { ...parseMessage(raw), envelopeTo, raw, receivedAt: Date.now() }
            : { headers: new Map(), subject: '', from: '', to: envelopeTo.join(', '), envelopeTo, raw, receivedAt: Date.now() };
          this.received.push(email);
          this.onMessage?.(email);
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    server.on('error', () => undefined);
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
    return this;
  }

  get listeningPort(): number {
    return this.port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}?tls=off`;
  }

  to(address: string): ReceivedEmail[] {
    return this.received.filter((m) => m.envelopeTo.includes(address.toLowerCase()));
  }

  /** Resolves once `predicate` holds (checked every 20 ms), or rejects after `timeoutMs`. */
  async waitFor(predicate: () => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (received ${this.received.length})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
