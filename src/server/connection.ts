/**
 * One client connection, whatever its protocol (a `Codec` frames, runs and encodes): runs each
 * request and writes the replies in request order although requests may complete out of order. Reading
 * pauses while too many replies are outstanding or their bytes (held, buffered in the socket,
 * expected) reach `maxReplyBytes`, and no more than that is handed to the socket, so a client
 * that pipelines faster than it reads cannot grow the server's memory without bound.
 */
import type { Socket } from 'node:net';
import type { Bytes } from '../core/bytes.js';
import { ReplyBudget } from './budget.js';
import type { Codec } from './codec.js';

export type { Dispatch } from './text-codec.js';

/** Bytes of ready replies past which a pump hands them to the socket before reading on. */
const STREAM_BYTES = 16 * 1024;

/** Settings of a connection. */
export interface ConnectionOptions {
  /** The protocol of this connection (its own instance: it holds the framing state). */
  readonly codec: Codec;
  /** Requests read but not yet answered on the socket before reading pauses. */
  readonly maxInFlight: number;
  /** Reply bytes held or buffered in the socket before reading pauses (at least the socket's high-water mark). */
  readonly maxReplyBytes: number;
  /** Called once, as soon as the connection stops counting against the server's limit. */
  readonly onDone: (connection: Connection) => void;
  /** Called whenever reading pauses for backpressure (tests observe it). */
  readonly onPause?: () => void;
}

/** A reply slot: filled when its command completes, written when every earlier slot is written. */
interface Slot {
  reply: Bytes | undefined;
}

/** Serves one socket until the client closes it or the server ends it. */
export class Connection {
  readonly #socket: Socket;
  readonly #options: ConnectionOptions;
  readonly #codec: Codec;
  readonly #budget: ReplyBudget;
  /** Unwritten replies in request order, oldest at `#head`. */
  #slots: Slot[] = [];
  #head = 0;
  #paused = false;
  #pumping = false;
  #pumpQueued = false;
  #turnQueued = false;
  /** The client half-closed: answer what is complete, then close. */
  #ended = false;
  #done = false;

  constructor(socket: Socket, options: ConnectionOptions) {
    this.#socket = socket;
    this.#options = options;
    this.#codec = options.codec;
    // Under the high-water mark no 'drain' comes: a smaller budget could stop writing for good.
    this.#budget = new ReplyBudget(Math.max(options.maxReplyBytes, socket.writableHighWaterMark));
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      // A read comes from the event loop: it has turned since the last bytes were sent.
      this.#budget.turned();
      // After a QUIT (or a protocol error) nothing more is read.
      if (this.#codec.closing) return;
      this.#codec.push(chunk);
      this.#pump();
    });
    socket.on('drain', () => this.#pump());
    socket.on('end', () => {
      this.#ended = true;
      this.#pump();
    });
    // A reset or a broken pipe is a normal way for a client to leave: 'close' follows.
    socket.on('error', () => undefined);
    socket.on('close', () => this.#finish());
  }

  /** Ends the connection now: replies not yet written are dropped. Idempotent. */
  destroy(): void {
    this.#finish();
    this.#socket.destroy();
  }

  /** Reads and runs requests while the limits allow, writes the replies that are ready, then pauses or resumes reading. */
  #pump(): void {
    if (this.#pumping || this.#done) return;
    this.#pumping = true;
    // Corked, the replies written during one pump leave as one writev.
    this.#socket.cork();
    try {
      // Ready replies leave first: writing them frees room in the window, and the requests the
      // codec already holds must run now. No read event will come for bytes already read, so
      // a pump that wrote a full window and stopped left the connection waiting forever.
      this.#write();
      while (!this.#codec.closing && !this.#blocked()) {
        const decoded = this.#codec.next();
        if (decoded === undefined) break;
        if (typeof decoded === 'string') this.#ready(decoded);
        else this.#run(decoded);
        // Ready replies leave in pieces of STREAM_BYTES, so a long pipeline streams rather than piles
        // up, while a read's worth of small replies answered at once costs one socket write.
        if (this.#budget.held >= STREAM_BYTES && this.#slots[this.#head]?.reply !== undefined) this.#write();
      }
      this.#write();
    } finally {
      this.#pumping = false;
      this.#socket.uncork();
    }
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a write may end the connection
    if (this.#done) return;
    const closing = this.#codec.closing;
    if ((this.#ended || closing) && (closing || !this.#codec.queued) && this.#head === this.#slots.length) {
      // Half-closed (or the codec is done): every complete request is answered; a partial one is never run.
      this.#codec.clear();
      this.#release();
      this.#socket.end();
      return;
    }
    const blocked = this.#blocked();
    if (blocked && this.#budget.sent > 0 && !this.#turnQueued) this.#awaitTurn();
    if (blocked && !this.#paused) {
      this.#paused = true;
      this.#socket.pause();
      this.#options.onPause?.();
    } else if (!blocked && this.#paused) {
      this.#paused = false;
      this.#socket.resume();
    }
  }

  /** Replies to a fast reader leave at once and chain through microtasks: let the event loop turn, or the node answers nothing else (seen: no heartbeat for 2 s). */
  #awaitTurn(): void {
    this.#turnQueued = true;
    setImmediate(() => {
      this.#turnQueued = false;
      this.#budget.turned();
      this.#pump();
    });
  }

  #blocked(): boolean {
    return this.#slots.length - this.#head >= this.#options.maxInFlight || !this.#budget.admits(this.#socket.writableLength);
  }

  #run(command: object): void {
    const slot: Slot = { reply: undefined };
    this.#slots.push(slot);
    this.#budget.dispatched();
    const codec = this.#codec;
    let pending: Promise<unknown>;
    try {
      pending = codec.run(command);
    } catch (e) {
      pending = Promise.reject(e);
    }
    pending.then(
      (value) => this.#fill(slot, codec.encode(command, value)),
      (e: unknown) => this.#fill(slot, codec.encodeError(command, e)),
    );
  }

  #ready(reply: Bytes): void {
    this.#slots.push({ reply });
    this.#budget.ready(reply.length);
  }

  #fill(slot: Slot, reply: Bytes): void {
    slot.reply = reply;
    this.#budget.arrived(reply.length);
    if (this.#slots[this.#head] === slot && !this.#pumpQueued) {
      // Replies of one data-plane frame complete in the same tick: one pump (one write) for all
      // of them, instead of a write syscall per reply (measured: 45 % of the node's CPU at depth 16).
      this.#pumpQueued = true;
      queueMicrotask(() => {
        this.#pumpQueued = false;
        this.#pump();
      });
    }
  }

  /** Writes the ready replies at the head of the queue as one write, up to the budget's room in the socket. */
  #write(): void {
    const room = this.#budget.room(this.#socket.writableLength);
    let out = '';
    let slot: Slot | undefined;
    while (out.length < room && (slot = this.#slots[this.#head]) !== undefined && slot.reply !== undefined) {
      out += slot.reply;
      // A written slot may stay in the queue until it is compacted: it must not keep its reply alive.
      slot.reply = '';
      this.#head++;
    }
    this.#budget.written(out.length);
    if (this.#head === this.#slots.length) {
      this.#slots = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#slots.length) {
      this.#slots = this.#slots.slice(this.#head);
      this.#head = 0;
    }
    // A latin1 string goes straight to the socket (no Buffer.from copy): replies are byte strings.
    if (out !== '' && !this.#done && this.#socket.writable) this.#socket.write(out, 'latin1');
  }

  /** Stops counting against the server's limit (before the socket is even gone, so a new client fits at once). */
  #release(): void {
    if (this.#done) return;
    this.#done = true;
    this.#options.onDone(this);
  }

  #finish(): void {
    this.#release();
    this.#codec.clear();
    this.#slots = [];
    this.#head = 0;
  }
}
