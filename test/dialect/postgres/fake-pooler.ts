/**
 * A tiny PostgreSQL connection pooler for tests, in front of the real server (trust auth):
 * - `transaction` mode, like PgBouncer's pool_mode=transaction: a few shared server connections;
 *   each client request is served by the next idle one (round robin) and the client keeps it only
 *   until the server is idle again (ReadyForQuery 'I'), i.e. to the end of the transaction;
 * - `session` mode: one server connection per client for its whole life.
 * Either way clients get the pooler's own BackendKeyData, as with PgBouncer. Cancel requests and
 * TLS are not supported (TLS is declined).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export type PoolMode = 'transaction' | 'session';

interface Backend {
  socket: Socket;
  buffer: Buffer;
  owner: Client | undefined;
}

interface Client {
  socket: Socket;
  pending: Buffer[];
  backend: Backend | undefined;
  closed: boolean;
}

function startupPacket(params: Record<string, string>): Buffer {
  const body = Buffer.concat([
    Buffer.from([0, 3, 0, 0]),
    ...Object.entries(params).map(([k, v]) => Buffer.from(`${k}\0${v}\0`)),
    Buffer.from([0]),
  ]);
  const len = Buffer.alloc(4);
  len.writeInt32BE(body.length + 4);
  return Buffer.concat([len, body]);
}

function msg(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0);
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

/** Split complete typed messages off the front of `buf`. */
function takeMessages(buf: Buffer): { messages: Buffer[]; rest: Buffer } {
  const messages: Buffer[] = [];
  let at = 0;
  while (buf.length - at >= 5) {
    const len = buf.readInt32BE(at + 1);
    if (buf.length - at < len + 1) break;
    messages.push(buf.subarray(at, at + len + 1));
    at += len + 1;
  }
  return { messages, rest: buf.subarray(at) };
}

export class FakePooler {
  private server: Server | undefined;
  private readonly backends: Backend[] = [];
  private readonly waiting: Client[] = [];
  private readonly clients = new Set<Client>();
  private next = 0;
  /** Most recently released first. */
  private released: Backend[] = [];
  port = 0;

  constructor(
    private readonly mode: PoolMode,
    private readonly upstream: { host: string; port: number; user: string; database: string },
    private readonly poolSize = 2,
    /** Which idle server connection serves the next request: the next in turn, or the most recently released (PgBouncer's default). */
    private readonly pick: 'round-robin' | 'lifo' = 'round-robin',
  ) {}

  async start(): Promise<number> {
    if (this.mode === 'transaction') {
      for (let i = 0; i < this.poolSize; i++) this.backends.push(await this.openBackend());
    }
    this.server = createServer((s) => this.accept(s));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    const addr = this.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
    return this.port;
  }

  async stop(): Promise<void> {
    for (const c of this.clients) c.socket.destroy();
    for (const b of this.backends) b.socket.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private openBackend(): Promise<Backend> {
    return new Promise((resolve, reject) => {
      const socket = connect(this.upstream.port, this.upstream.host);
      const b: Backend = { socket, buffer: Buffer.alloc(0), owner: undefined };
      let ready = false;
      socket.on('error', (e) => (ready ? undefined : reject(e)));
      socket.on('connect', () => socket.write(startupPacket({ user: this.upstream.user, database: this.upstream.database })));
      socket.on('data', (d) => {
        b.buffer = Buffer.concat([b.buffer, d]);
        const { messages, rest } = takeMessages(b.buffer);
        b.buffer = rest;
        for (const m of messages) {
          const type = String.fromCharCode(m[0]!);
          if (!ready) {
            if (type === 'E') reject(new Error(`backend start-up failed: ${m.subarray(5).toString()}`));
            if (type === 'Z') {
              ready = true;
              resolve(b);
            }
            continue;
          }
          this.fromBackend(b, m, type);
        }
      });
    });
  }

  private accept(socket: Socket): void {
    const client: Client = { socket, pending: [], backend: undefined, closed: false };
    this.clients.add(client);
    let started = false;
    let buf: Buffer = Buffer.alloc(0);
    socket.on('error', () => this.drop(client));
    socket.on('close', () => this.drop(client));
    socket.on('data', async (d) => {
      buf = Buffer.concat([buf, d]);
      if (!started) {
        if (buf.length < 8) return;
        const len = buf.readInt32BE(0);
        if (buf.length < len) return;
        const code = buf.readInt32BE(4);
        buf = buf.subarray(len);
        if (code === 80877103) {
          socket.write('N'); // no TLS
          return;
        }
        if (code !== 196608) {
          socket.destroy();
          return;
        }
        started = true;
        if (this.mode === 'session') {
          try {
            const b = await this.openBackend();
            b.owner = client;
            client.backend = b;
            this.backends.push(b);
          } catch {
            socket.destroy();
            return;
          }
        }
        const ok = Buffer.alloc(4);
        const key = Buffer.alloc(8);
        key.writeInt32BE(4_000_000 + Math.floor(Math.random() * 100_000), 0);
        key.writeInt32BE(Math.floor(Math.random() * 1e9), 4);
        socket.write(
          Buffer.concat([
            msg('R', ok),
            msg('S', Buffer.from('client_encoding\0UTF8\0')),
            msg('S', Buffer.from('standard_conforming_strings\0on\0')),
            msg('S', Buffer.from('server_version\0' + '15.0\0')),
            msg('K', key),
            msg('Z', Buffer.from('I')),
          ]),
        );
      }
      const { messages, rest } = takeMessages(buf);
      buf = rest;
      for (const m of messages) {
        if (m[0] === 'X'.charCodeAt(0)) {
          this.drop(client);
          return;
        }
        client.pending.push(m);
      }
      this.pump(client);
    });
  }

  private pump(client: Client): void {
    if (client.closed || client.pending.length === 0) return;
    if (!client.backend) {
      const b = this.idleBackend();
      if (!b) {
        if (!this.waiting.includes(client)) this.waiting.push(client);
        return;
      }
      b.owner = client;
      client.backend = b;
    }
    const out = Buffer.concat(client.pending.splice(0));
    client.backend.socket.write(out);
  }

  private idleBackend(): Backend | undefined {
    if (this.pick === 'lifo') {
      const b = this.released.find((x) => !x.owner) ?? this.backends.find((x) => !x.owner);
      if (b) this.released = this.released.filter((x) => x !== b);
      return b;
    }
    for (let i = 0; i < this.backends.length; i++) {
      const b = this.backends[(this.next + i) % this.backends.length]!;
      if (!b.owner) {
        this.next = (this.next + i + 1) % this.backends.length;
        return b;
      }
    }
    return undefined;
  }

  private fromBackend(b: Backend, m: Buffer, type: string): void {
    const client = b.owner;
    if (client && !client.closed) client.socket.write(m);
    if (type === 'Z' && this.mode === 'transaction' && m[5] === 'I'.charCodeAt(0) && client) {
      b.owner = undefined;
      client.backend = undefined;
      this.released.unshift(b);
      this.pump(client);
      const w = this.waiting.shift();
      if (w) this.pump(w);
    }
  }

  private drop(client: Client): void {
    if (client.closed) return;
    client.closed = true;
    this.clients.delete(client);
    client.socket.destroy();
    const b = client.backend;
    client.backend = undefined;
    if (!b) return;
    if (this.mode === 'session') {
      b.socket.destroy();
      this.backends.splice(this.backends.indexOf(b), 1);
      return;
    }
    b.owner = undefined;
    const w = this.waiting.shift();
    if (w) this.pump(w);
  }
}
