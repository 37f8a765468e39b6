/** Traffic recording at a node: every request that enters the cluster here (not those forwarded to it), kept compact until the supervisor collects it. */
import type { Bytes, TrafficRecord } from '../protocol/data.js';
import type { Request } from '../protocol/messages.js';
import { ringHash } from '../core/ring.js';

const CODE = { create: 'c', get: 'g', put: 'p', delete: 'd', apply: 'a' } as const;
/** Records a node keeps per recording (about 100 MB); later requests are only counted. */
const MAX_RECORDS = 1_000_000;

/** The requests that entered at one node since it was last asked. */
export class Recorder {
  readonly #entry: number;
  readonly #now: () => number;
  #records: TrafficRecord[] = [];
  #kept = 0;
  #dropped = 0;

  /** Records for node `entry` (its link index), timed by `now` (its host's clock). */
  constructor(entry: number, now: () => number) {
    this.#entry = entry;
    this.#now = now;
  }

  /** A single request that entered here. */
  request(req: Request): void {
    if (req.bucket === undefined) return;
    const key = req.op === 'get' || req.op === 'put' || req.op === 'delete' ? req.key : '';
    this.op(CODE[req.op], req.bucket, key, req.op === 'put' ? req.value.length : 0);
  }

  /** One op (op code, bucket, key, value bytes) that entered here. */
  op(code: string, bucket: Bytes, key: Bytes, valueBytes: number): void {
    if (this.#kept++ >= MAX_RECORDS) {
      this.#dropped++;
      return;
    }
    this.#records.push([this.#now(), this.#entry, code, bucket, key === '' ? 0 : ringHash(key), key.length, valueBytes]);
  }

  /** What was recorded since the last call, and how many requests were not kept. */
  take(): { records: TrafficRecord[]; dropped: number } {
    const out = { records: this.#records, dropped: this.#dropped };
    this.#records = [];
    this.#dropped = 0;
    return out;
  }
}
