import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface EmbeddedPostgres {
  /** A libpq URL that `pg` (and TypeORM) can connect to. */
  connectionString: string;
  stop(): Promise<void>;
}

/**
 * Runs in a worker thread (plain CommonJS, evaluated as a string so the same code works from
 * the built dist, from ts sources and under jest, whose VM sandbox refuses the dynamic
 * `import()` PGlite uses for Node built-ins). The worker also keeps PGlite's synchronous WASM
 * work off the main event loop that serves HTTP.
 *
 * The query queue replaces pglite-socket's own. PGlite is one backend shared by every socket;
 * the stock queue keeps a connection exclusive only inside a transaction, so the messages of
 * two connections' extended-query batches (Parse/Bind/Execute … Sync, which `pg` sends for
 * every parameterised query) interleave: one connection's Bind meets the other's unnamed
 * statement ("unnamed prepared statement does not exist", or worse, the wrong statement runs
 * with the wrong parameters). This queue keeps a connection exclusive from its first
 * extended-query message to its Sync, and for a whole transaction. (The stock queue also stops
 * for good after a failed message; this one goes on.) It also hands a query's messages to
 * PGlite in one call when its Sync arrives, rather than one call per message (five per query).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pglitePath);
const { PGLiteSocketServer } = require(workerData.socketPath);
// Trigram indexes for the customer search (shipped inside the pglite package, nothing downloaded).
const { pg_trgm } = require(workerData.pgTrgmPath);

const EXTENDED_QUERY_TYPES = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((c) => c.charCodeAt(0)));
const DEFERRED_TYPES = new Set(['P', 'B', 'D', 'E', 'C'].map((c) => c.charCodeAt(0)));
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);
const PARSE_COMPLETE = new Uint8Array([0x31, 0, 0, 0, 4]);

/**
 * PGlite has one session for every connection, so a statement one \`pg\` client prepared by name
 * exists for all: another client's Parse of the same name fails (42P05). When it is the same
 * statement (same Parse bytes), the queue answers ParseComplete itself and sends the rest.
 */
function namedParse(message) {
  if (message[0] !== 0x50 || message.length < 6 || message[5] === 0) return undefined;
  const length = 1 + Buffer.from(message.buffer, message.byteOffset + 1, 4).readInt32BE(0);
  const bytes = Buffer.from(message.buffer, message.byteOffset, length);
  const nameEnd = bytes.indexOf(0, 5);
  return { name: bytes.toString('latin1', 5, nameEnd), key: bytes.toString('latin1'), length };
}

class ProtocolAwareQueryQueue {
  constructor(db) {
    this.db = db;
    this.queue = [];
    this.processing = false;
    this.owner = null; // the connection the backend is busy with (open transaction or unfinished batch)
    this.pending = new Map(); // handler id → its extended-query messages not sent yet
    this.statements = new Map(); // named prepared statements of the shared session → their Parse message
  }
  enqueue(handlerId, message, onData) {
    // Parse/Bind/Describe/Execute/Close wait for the Sync (or Flush) that ends them and go to the
    // backend together: one call instead of five per parameterised query.
    if (DEFERRED_TYPES.has(message[0])) {
      // Close of a named statement: its next Parse goes to the backend again.
      if (message[0] === 0x43 && message[5] === 0x53) this.statements.delete(Buffer.from(message).toString('latin1', 6, message.length - 1));
      const pending = this.pending.get(handlerId);
      if (pending) pending.push(message);
      else this.pending.set(handlerId, [message]);
      return Promise.resolve(0);
    }
    // A Flush leaves the batch open (the backend keeps its unnamed statement and portal).
    const endsOpen = EXTENDED_QUERY_TYPES.has(message[0]);
    const pending = this.pending.get(handlerId);
    if (pending) {
      this.pending.delete(handlerId);
      message = Buffer.concat([...pending, message]);
    }
    if (message[0] === 0x51 && /\b(deallocate|discard)\b/i.test(Buffer.from(message).toString('utf8', 5))) this.statements.clear();
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, endsOpen, onData, resolve, reject });
      void this.process();
    });
  }
  getQueueLength() {
    return this.queue.length;
  }
  clearQueueForHandler(handlerId) {
    this.pending.delete(handlerId);
    this.queue = this.queue.filter((item) => {
      if (item.handlerId !== handlerId) return true;
      item.reject(new Error('Handler disconnected'));
      return false;
    });
  }
  // A connection went away: end what it left open so the next connection starts clean.
  async clearTransactionIfNeeded(handlerId) {
    if (this.owner !== handlerId) return;
    // exec takes PGlite's mutex itself; the raw protocol call does not.
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    else await this.db.runExclusive(() => this.db.execProtocolRawStream(SYNC, { onRawData: () => undefined }));
    this.owner = null;
    void this.process();
  }
  next() {
    if (this.owner === null) return this.queue.shift();
    const i = this.queue.findIndex((item) => item.handlerId === this.owner);
    return i < 0 ? undefined : this.queue.splice(i, 1)[0];
  }
  async process() {
    if (this.processing) return;
    this.processing = true;
    try {
      for (let item = this.next(); item; item = this.next()) {
        let bytes = 0;
        const named = namedParse(item.message);
        let message = item.message;
        let firstByte;
        if (named && this.statements.get(named.name) === named.key) {
          // Prepared already, by another connection of the shared session: answer its Parse here.
          message = item.message.subarray(named.length);
          item.onData(PARSE_COMPLETE);
          firstByte = PARSE_COMPLETE[0];
        }
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(message, {
              onRawData: (data) => {
                if (firstByte === undefined && data.length > 0) firstByte = data[0];
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
          if (named && firstByte === PARSE_COMPLETE[0]) this.statements.set(named.name, named.key);
        } catch (e) {
          this.owner = this.db.isInTransaction() ? item.handlerId : null;
          item.reject(e);
          continue;
        }
        this.owner = item.endsOpen || this.db.isInTransaction() ? item.handlerId : null;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }
}

(async () => {
  let db;
  let server;
  try {
    db = await PGlite.create(workerData.dataDir, { extensions: { pg_trgm } });
    // Every service's pool, each projection runner's lease connection and the LISTEN connections of
    // all five services: dozens of mostly idle connections (cheap here: one queue serves them all).
    server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: workerData.port, maxConnections: 512 });
    if (!server.queryQueue) throw new Error('pglite-socket changed: its query queue was not found');
    server.queryQueue = new ProtocolAwareQueryQueue(db);
    await server.start();
    parentPort.postMessage({ kind: 'started', port: server.server.address().port });
  } catch (e) {
    parentPort.postMessage({ kind: 'failed', message: e && e.message ? e.message : String(e) });
    return;
  }
  parentPort.on('message', async (m) => {
    if (m !== 'stop') return;
    try {
      await server.stop();
      await db.close();
      parentPort.postMessage({ kind: 'stopped' });
    } catch (e) {
      parentPort.postMessage({ kind: 'failed', message: e && e.message ? e.message : String(e) });
    }
  });
})();
`;

type WorkerReply = { kind: 'started'; port: number } | { kind: 'stopped' } | { kind: 'failed'; message: string };

function nextReply(worker: Worker): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: WorkerReply) => {
      cleanup();
      resolve(m);
    };
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`embedded PostgreSQL worker exited with code ${code}`));
    };
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite has no lock of its own: two processes on one data directory would corrupt it. A pid
 * file refuses a second one; a file left by a process that died is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, 'embedded-postgres.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && isRunning(holder)) {
        throw new Error(`embedded PostgreSQL: ${dataDir} is in use by process ${holder}; stop it or use another DATA_DIR`);
      }
      rmSync(file, { force: true });
    }
  }
  throw new Error(`embedded PostgreSQL: could not lock ${dataDir}`);
}

/**
 * PostgreSQL compiled to WebAssembly (PGlite), served over the wire protocol on loopback so the
 * same `pg` code runs embedded and against a real server. One connection at a time has the
 * backend, for a whole transaction or query batch, which keeps transactions serialisable.
 * `dataDir` undefined = in memory.
 */
export async function startEmbeddedPostgres(options: { dataDir?: string; port?: number } = {}): Promise<EmbeddedPostgres> {
  let unlock = () => undefined as void;
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    unlock = lockDataDir(options.dataDir);
  }
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      dataDir: options.dataDir,
      port: options.port ?? 0,
      pglitePath: require.resolve('@electric-sql/pglite'),
      socketPath: require.resolve('@electric-sql/pglite-socket'),
      pgTrgmPath: require.resolve('@electric-sql/pglite/contrib/pg_trgm'),
    },
  });
  const started = await nextReply(worker).catch((e: unknown) => {
    unlock();
    throw e;
  });
  if (started.kind !== 'started') {
    await worker.terminate();
    unlock();
    throw new Error(`embedded PostgreSQL failed to start: ${started.kind === 'failed' ? started.message : started.kind}`);
  }
  let stopping: Promise<void> | undefined;
  return {
    connectionString: `postgresql://postgres:postgres@127.0.0.1:${started.port}/postgres?sslmode=disable`,
    stop() {
      stopping ??= (async () => {
        const reply = nextReply(worker);
        worker.postMessage('stop');
        const stopped = await reply;
        await worker.terminate();
        unlock();
        if (stopped.kind === 'failed') throw new Error(`embedded PostgreSQL failed to stop cleanly: ${stopped.message}`);
      })();
      return stopping;
    },
  };
}
