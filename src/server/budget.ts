/**
 * The reply-byte budget of one connection, apart from its socket. It counts the bytes of
 * replies complete but not yet handed to the socket, plus (given by the caller) the socket's
 * write buffer, plus an estimate for the replies still to come; a command is read only while
 * that sum is under the limit. So a client that never reads holds at most about the limit
 * plus one reply, whatever the value sizes; a reply bigger than the limit is served alone.
 */

/** Counts reply bytes against a per-connection limit (`maxReplyBytes`). */
export class ReplyBudget {
  /** Bytes of replies and socket buffer past which no command is read and no reply is written. */
  readonly limit: number;
  /** Bytes of complete replies not yet handed to the socket. */
  #held = 0;
  /** Commands dispatched whose reply has not arrived. */
  #pending = 0;
  /**
   * Bytes handed to the socket since the event loop last turned. A fast reader takes them at
   * once, so the socket's buffer stays empty; counting them too caps what one turn sends.
   */
  #sent = 0;
  /**
   * The size expected of a reply still to come: the largest recent reply, shrinking by 1/16 at
   * each smaller one. It starts at 1/16 of the limit: a new connection runs 16 commands at once
   * (a pipeline to a slow owner still waits for one deadline, not one per command), learns the
   * size of its replies, then widens its window if they are small or narrows it if they are big.
   */
  #expected: number;

  constructor(limit: number) {
    this.limit = limit;
    this.#expected = Math.ceil(limit / 16);
  }

  /** Bytes of complete replies not yet handed to the socket. */
  get held(): number {
    return this.#held;
  }

  /** Commands dispatched whose reply has not arrived. */
  get pending(): number {
    return this.#pending;
  }

  /** Bytes handed to the socket since the event loop last turned. */
  get sent(): number {
    return this.#sent;
  }

  /** Whether one more command may run while the socket buffers `buffered` bytes. */
  admits(buffered: number): boolean {
    return this.#held + (buffered > this.#sent ? buffered : this.#sent) + this.#pending * this.#expected < this.limit;
  }

  /** How many reply bytes may be handed to a socket that buffers `buffered` bytes. */
  room(buffered: number): number {
    return this.limit - (buffered > this.#sent ? buffered : this.#sent);
  }

  /** A command was dispatched: its reply is still to come. */
  dispatched(): void {
    this.#pending++;
  }

  /** A dispatched command's reply of `bytes` arrived. */
  arrived(bytes: number): void {
    this.#pending--;
    this.#held += bytes;
    const expected = this.#expected;
    this.#expected = bytes >= expected ? bytes : expected - (expected >> 4);
  }

  /** A reply of `bytes` known without dispatching (an error, `UNKNOWN COMMAND`) is held. */
  ready(bytes: number): void {
    this.#held += bytes;
  }

  /** `bytes` of held replies were handed to the socket. */
  written(bytes: number): void {
    this.#held -= bytes;
    this.#sent += bytes;
  }

  /** The event loop turned: what was sent before is the socket's (its buffer counts it if still there). */
  turned(): void {
    this.#sent = 0;
  }
}
