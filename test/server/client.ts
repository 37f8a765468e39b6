/** A raw TCP test client: sends bytes, reads reply lines with deadlines, never sleeps. */
import { connect } from 'node:net';
import type { Socket } from 'node:net';

const DEADLINE_MS = 10_000;

/** A client connection; text is sent and received as byte strings (latin1). */
export class TestClient {
  readonly socket: Socket;
  #received = '';
  /** Offsets in `#received` just past each complete `\r\n`, found incrementally (big replies stay linear). */
  #ends: number[] = [];
  /** Whether the text received so far ends in `\r` (a `\r\n` may straddle two chunks). */
  #lastCr = false;
  #closed = false;
  #waiters: (() => void)[] = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#scan(chunk.toString('latin1'));
      this.#wake();
    });
    socket.on('error', () => undefined);
    // The server is done sending: with allowHalfOpen off, the socket ends its side too and closes.
    socket.on('end', () => {
      this.#closed = true;
      this.#wake();
    });
    socket.on('close', () => {
      this.#closed = true;
      this.#wake();
    });
  }

  /** Connects to 127.0.0.1:`port`. */
  static connect(port: number, host = '127.0.0.1'): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new TestClient(socket));
      });
    });
  }

  /** Writes bytes (a string is taken as latin1, one char per byte). */
  send(data: string | Buffer): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** The next `n` reply lines, each with its `\r\n`, as one string. */
  async read(n: number, deadlineMs = DEADLINE_MS): Promise<string> {
    await this.#until(() => this.#ends.length >= n, `${n} line(s)`, deadlineMs);
    const end = n === 0 ? 0 : (this.#ends[n - 1] as number);
    const out = this.#received.slice(0, end);
    this.#received = this.#received.slice(end);
    this.#ends = this.#ends.slice(n).map((e) => e - end);
    return out;
  }

  /** Sends `data` and returns the next `n` reply lines. */
  async request(data: string | Buffer, n = 1): Promise<string> {
    this.send(data);
    return this.read(n);
  }

  /** Everything received until the server closes the connection. */
  async rest(deadlineMs = DEADLINE_MS): Promise<string> {
    await this.#until(() => this.#closed, 'the server to close', deadlineMs);
    const out = this.#received;
    this.#received = '';
    this.#ends = [];
    return out;
  }

  /** Bytes received and not yet read. */
  get pending(): string {
    return this.#received;
  }

  /** Whether the socket is closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Half-closes (sends FIN); replies can still arrive. */
  end(): void {
    this.socket.end();
  }

  /** Closes at once with a TCP reset. */
  reset(): void {
    this.socket.resetAndDestroy();
  }

  /** Closes the socket. */
  destroy(): void {
    this.socket.destroy();
  }

  /** Appends `text`, noting its line ends; scans only the new text (indexOf on the whole rope would flatten it each time). */
  #scan(text: string): void {
    const base = this.#received.length;
    if (this.#lastCr && text.startsWith('\n')) this.#ends.push(base + 1);
    this.#lastCr = text.endsWith('\r');
    for (let j = text.indexOf('\r\n'); j >= 0; j = text.indexOf('\r\n', j + 2)) this.#ends.push(base + j + 2);
    this.#received += text;
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  #until(done: () => boolean, what: string, deadlineMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${deadlineMs} ms; received ${JSON.stringify(this.#received.slice(0, 300))}${this.#closed ? ' (closed)' : ''}`)), deadlineMs);
      const check = (): void => {
        if (done()) {
          clearTimeout(timer);
          resolve();
        } else if (this.#closed && what !== 'the server to close') {
          clearTimeout(timer);
          reject(new Error(`connection closed while waiting for ${what}; received ${JSON.stringify(this.#received.slice(0, 300))}`));
        } else this.#waiters.push(check);
      };
      check();
    });
  }
}

/** Connects a client and closes it when the test ends. */
export async function client(t: { teardown(fn: () => void): void }, port: number): Promise<TestClient> {
  const c = await TestClient.connect(port);
  t.teardown(() => c.destroy());
  return c;
}
