/**
 * A process's mailbox: messages in arrival order, taken first-come or by selective receive (the
 * first message a match accepts, the others staying where they are). Pure. Taking from the front
 * moves a head index instead of shifting the array, so a long mailbox drains in linear time.
 */

/** What `take` returns when no message matched. */
export const NONE: unique symbol = Symbol('no message');

/** The messages waiting for one process, in arrival order. */
export class Mailbox<T = unknown> {
  #items: T[] = [];
  #head = 0;

  /** Messages waiting. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Adds `msg` at the end. */
  push(msg: T): void {
    this.#items.push(msg);
  }

  /**
   * Removes and returns the first message `match` accepts (the first message without `match`),
   * or NONE. A match that throws stops the scan and throws; the mailbox is left as it was.
   */
  take(match?: (msg: T) => boolean): T | typeof NONE {
    const items = this.#items;
    if (this.#head === items.length) return NONE;
    if (match === undefined) return this.#shift();
    for (let i = this.#head; i < items.length; i++) {
      const msg = items[i] as T;
      if (!match(msg)) continue;
      if (i === this.#head) return this.#shift();
      items.splice(i, 1);
      return msg;
    }
    return NONE;
  }

  /** Removes and returns every message, oldest first. */
  drain(): T[] {
    const all = this.#items.slice(this.#head);
    this.#items = [];
    this.#head = 0;
    return all;
  }

  /** Removes every message `match` accepts (a demonitor's DOWN); returns how many. */
  remove(match: (msg: T) => boolean): number {
    const before = this.length;
    this.#items = this.#items.slice(this.#head).filter((m) => !match(m));
    this.#head = 0;
    return before - this.length;
  }

  #shift(): T {
    const msg = this.#items[this.#head] as T;
    this.#items[this.#head] = undefined as T;
    this.#head++;
    if (this.#head === this.#items.length) {
      this.#items.length = 0;
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return msg;
  }
}
