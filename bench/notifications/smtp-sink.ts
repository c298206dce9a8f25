/**
 * The benchmark's SMTP server, in a process of its own (so it does not share the service's
 * event loop): accepts everything, and reports (recipient, acceptance time) pairs to the
 * parent over IPC in small batches.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

let pending: Array<[string, number]> = [];
let timer: NodeJS.Timeout | undefined;

const flush = (): void => {
  timer = undefined;
  if (pending.length === 0) return;
  process.send?.({ accepted: pending });
  pending = [];
};

const server = new SMTPServer({
  authOptional: true,
  hideSTARTTLS: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  maxClients: 200,
  closeTimeout: 200,
  onData: (stream, session, callback) => {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      const at = Date.now();
      for (const r of session.envelope.rcptTo) pending.push([r.address.toLowerCase(), at]);
      timer ??= setTimeout(flush, 5);
      callback();
    });
  },
});

server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.server.address() as AddressInfo).port });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
