/**
 * The TCP server of a node (the guide's `kv_server`, or RESP): listens on the node's host and
 * port, serves each client with a `Connection` speaking its `Protocol`, refuses clients past
 * `maxConnections` with the protocol's refusal (an ERROR line), and closes every connection and
 * the listener on `close()`.
 */
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { Errors } from '../protocol/errors.js';
import { defaults } from '../core/config.js';
import { Connection } from './connection.js';
import type { Protocol } from './codec.js';
import { textProtocol } from './text-codec.js';
import type { Dispatch } from './text-codec.js';

/** What a server speaks: the text protocol (its dispatch and line limit), or any `Protocol`. */
export type Speaks = { readonly dispatch: Dispatch; readonly maxLineLength: number } | { readonly protocol: Protocol };

/** Settings of a server. */
export type ServerOptions = Speaks & CommonOptions;

/** Settings of a server whatever it speaks. */
export interface CommonOptions {
  /** The node it serves, for messages. */
  readonly node: string;
  readonly host: string;
  /** 0 takes a free port. */
  readonly port: number;
  readonly maxConnections?: number | undefined;
  /** Lines read but not yet answered per connection before reading pauses. Default 256. */
  readonly maxInFlight?: number;
  /** Reply bytes per connection held or buffered before reading pauses. Default the config's, 4 MiB. */
  readonly maxReplyBytes?: number;
  /** Called whenever a connection pauses reading for backpressure. */
  readonly onPause?: () => void;
}

/** How long a refused client may keep its socket after the ERROR line before it is destroyed. */
const REFUSED_LINGER_MS = 5_000;

const LISTEN_REASONS: Record<string, string> = {
  EADDRINUSE: 'the port is already in use',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'the address is not one of this machine',
  ENOTFOUND: 'the host name is unknown',
  EAI_AGAIN: 'the host name cannot be resolved now',
};

/** A listening server. */
export class KvServer {
  /** The port it listens on (the actual one when configured as 0). */
  readonly port: number;
  readonly host: string;
  readonly #server: Server;
  readonly #connections = new Set<Connection>();
  /** Every open socket, served or refused: close() ends them all, so the listener's close never waits on a client. */
  readonly #sockets = new Set<Socket>();
  #closing: Promise<void> | undefined;

  private constructor(server: Server, host: string, port: number) {
    this.#server = server;
    this.host = host;
    this.port = port;
  }

  /** Listens on `options.host`:`options.port`; rejects with KV_ERR_LISTEN naming the node, host and port (`setting`: the config key to change, default `port`). */
  static listen(options: ServerOptions, setting = 'port'): Promise<KvServer> {
    const protocol = 'protocol' in options ? options.protocol : textProtocol(options.dispatch, options.maxLineLength);
    const server = createServer({ allowHalfOpen: true });
    return new Promise((resolve, reject) => {
      const failed = (e: NodeJS.ErrnoException): void => {
        const why = LISTEN_REASONS[e.code ?? ''] ?? e.message;
        reject(Errors.listen(options.node, options.host, options.port, why, e.code ?? 'error', setting));
      };
      server.once('error', failed);
      server.listen(options.port, options.host, () => {
        server.off('error', failed);
        // Accept errors (EMFILE, ...) must not take the node down; the listener keeps going.
        server.on('error', () => undefined);
        const address = server.address();
        const port = address !== null && typeof address === 'object' ? address.port : options.port;
        const kv = new KvServer(server, options.host, port);
        server.on('connection', (socket) => kv.#accept(socket, options, protocol));
        resolve(kv);
      });
    });
  }

  /** The number of clients being served. */
  get connections(): number {
    return this.#connections.size;
  }

  /** Stops listening and ends every connection now. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      for (const c of this.#connections) c.destroy();
      this.#connections.clear();
      for (const socket of this.#sockets) socket.destroy();
      this.#sockets.clear();
    });
    return this.#closing;
  }

  #accept(socket: Socket, options: CommonOptions, protocol: Protocol): void {
    if (this.#closing !== undefined) {
      socket.destroy();
      return;
    }
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
    const max = options.maxConnections;
    if (max !== undefined && this.#connections.size >= max) {
      this.#refuse(socket, options.node, max, protocol);
      return;
    }
    const connection = new Connection(socket, {
      codec: protocol.open(),
      maxInFlight: options.maxInFlight ?? 256,
      maxReplyBytes: options.maxReplyBytes ?? defaults.maxReplyBytes,
      onDone: (c) => this.#connections.delete(c),
      ...(options.onPause === undefined ? {} : { onPause: options.onPause }),
    });
    this.#connections.add(connection);
  }

  #refuse(socket: Socket, node: string, max: number, protocol: Protocol): void {
    socket.on('error', () => undefined);
    const message = `too many connections: node "${node}" serves at most ${max} clients at once (maxConnections); try again later`;
    socket.end(Buffer.from(protocol.refusal(message), 'latin1'));
    socket.resume();
    const timer = setTimeout(() => socket.destroy(), REFUSED_LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  }
}
