/**
 * The packed encoding of batches: many ops in one string, so a batch is cloned between
 * threads as one memcpy (transport.md: 87 ns/op against 677 ns/op for an array of objects).
 * Byte strings only hold chars 0-255, so chars above 255 separate fields unambiguously.
 */
import type { Bytes } from './data.js';
import type { ErrorCode, WireError } from './errors.js';
import type { DataMessage, Request, Frame } from './messages.js';

/** Separates fields (ops: 3 per op; results: 1 per op). */
export const SEP = '\u0100';
/** Separates an error's code from its message inside one result field. */
const ERR_SEP = '\u0101';

/** The one-char code of each op. */
export const OpCode = { create: 'c', get: 'g', put: 'p', delete: 'd' } as const;

/** The op of each one-char code. */
export const OpOfCode: Readonly<Record<string, 'create' | 'get' | 'put' | 'delete'>> = { c: 'create', g: 'get', p: 'put', d: 'delete' };

/** Appends one op to a packed string (`''` starts a batch). Fields: code+bucket, key, value. */
export function packOp(packed: string, code: string, bucket: Bytes, key: Bytes, value: Bytes): string {
  return packed === '' ? `${code}${bucket}${SEP}${key}${SEP}${value}` : `${packed}${SEP}${code}${bucket}${SEP}${key}${SEP}${value}`;
}

/** A packed op list as fields: op i is fields 3i (code char + bucket), 3i+1 (key), 3i+2 (value). */
export function unpackOps(packed: string): string[] {
  return packed.split(SEP);
}

/** Result field: no value (put, create, missing key). */
export const NONE = 'u';

/** Result field: a value. */
export function valueField(value: Bytes | undefined): string {
  if (value === undefined) return NONE;
  // A value stored through KV.Bucket.put (apply) may be any string: one holding SEP would split
  // into extra fields and shift every later result. It travels escaped instead (tag `j`).
  return value.includes(SEP) ? `j${escapeWide(value)}` : `v${value}`;
}

/** A string as JSON with every char above 0xFF escaped: no separator can occur in it, and JSON.parse restores it exactly. */
function escapeWide(value: string): string {
  return JSON.stringify(value).replace(/[\u0100-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Result field: an error (separator chars in its message are replaced, so they cannot split it). */
export function errorField(error: WireError): string {
  return `e${error.code}${ERR_SEP}${error.message.replace(/[\u0100\u0101]/g, '\ufffd')}`;
}

/** A decoded result field: a value (or undefined), or an error as data. */
export function readField(field: string): { value: Bytes | undefined } | { error: WireError } {
  const tag = field.charCodeAt(0);
  if (tag === 0x76 /* v */) return { value: field.slice(1) };
  if (tag === 0x6a /* j */) return { value: JSON.parse(field.slice(1)) as string };
  if (tag === 0x65 /* e */) {
    const at = field.indexOf(ERR_SEP);
    return { error: { code: field.slice(1, at) as ErrorCode, message: field.slice(at + 1) } };
  }
  return { value: undefined };
}

/** Indices of sub-batch ops in the original batch, packed one char each (batches hold at most 65535 ops). */
export const MAX_BATCH = 0xffff;

// Packed frames: single-op requests and replies queued in one tick for one port travel as one
// string of records (transport.md: a string clones as a memcpy). Records, by the tag of their
// first field: request `q<id>`, from, hops, path, code+bucket, key, value (7 fields);
// reply `r<id>`, result field (2); error reply `x<id>`, error field (2).

// Link indexes and hop counts are small: their decimal strings are made once.
const SMALL = Array.from({ length: 1024 }, (_, i) => String(i));
const dec = (n: number): string => (n < 1024 ? (SMALL[n] as string) : String(n));

/**
 * A request as a packed record, or undefined if it cannot be packed (apply, or a field holding
 * a separator: such a message travels as an object, exactly, instead of corrupting the frame).
 */
export function packRequest(req: Request): string | undefined {
  if (req.op === 'apply') return undefined;
  const path = req.path ?? '';
  if (path !== '' && (path.includes(SEP) || path.includes(ERR_SEP))) return undefined;
  const key = req.op === 'create' ? '' : req.key;
  const value = req.op === 'put' ? req.value : '';
  if (req.bucket.includes(SEP) || key.includes(SEP) || value.includes(SEP)) return undefined;
  return `q${req.id}${SEP}${dec(req.from)}${SEP}${dec(req.hops)}${SEP}${path}${SEP}${OpCode[req.op]}${req.bucket}${SEP}${key}${SEP}${value}`;
}

/**
 * A reply as a packed record, or undefined if its value is not a string or holds a separator
 * (a value stored through KV.Bucket.put may be any string: packed, it would split the frame's
 * records and hand the rest of the value to the receiver as other records).
 */
export function packReply(id: number, value: unknown): string | undefined {
  if (value === undefined) return `r${id}${SEP}${NONE}`;
  return typeof value === 'string' && !value.includes(SEP) ? `r${id}${SEP}v${value}` : undefined;
}

/** An error reply as a packed record, or undefined if it cannot travel packed exactly (issues, separators in its message). */
export function packError(id: number, error: WireError): string | undefined {
  if (error.issues !== undefined || error.message.includes(SEP) || error.message.includes(ERR_SEP)) return undefined;
  return `x${id}${SEP}${errorField(error)}`;
}

/** The decimal number after the tag char of a record head (the request or reply id), without allocating a substring. */
export function idOf(head: string): number {
  let id = 0;
  for (let i = 1; i < head.length; i++) id = id * 10 + (head.charCodeAt(i) - 48);
  return id;
}

/**
 * A request record at field `i` of `f`, passed on by a forwarder without being rebuilt: the
 * same record with one more hop and `path` (the forwarder's, already extended with its name).
 */
export function forwardedRecord(f: readonly string[], i: number, hops: number, path: string): string {
  return `${f[i] as string}${SEP}${f[i + 1] as string}${SEP}${dec(hops + 1)}${SEP}${path}${SEP}${f[i + 4] as string}${SEP}${f[i + 5] as string}${SEP}${f[i + 6] as string}`;
}

/**
 * Walks a packed run of records in order: requests are offered to `relay` first (fields `f`,
 * the record at `i`: true if it took the record as it is), else rebuilt as objects; replies are
 * handed over as their raw result field (`readField`, or the first char: `v` value, `u` none,
 * `e` error, `j` escaped value), so the hot path allocates nothing per reply.
 */
export function forEachRecord(packed: string, onRequest: (req: Request) => void, onReply: (id: number, field: string) => void, relay?: (f: readonly string[], i: number) => boolean): void {
  const f = packed.split(SEP);
  let i = 0;
  while (i < f.length) {
    const head = f[i] as string;
    if (head.charCodeAt(0) === 0x71 /* q */) {
      if (relay?.(f, i) === true) {
        i += 7;
        continue;
      }
      const what = f[i + 4] as string;
      const op = OpOfCode[what[0] as string] as 'create' | 'get' | 'put' | 'delete';
      const req = { type: 'req', id: idOf(head), from: Number(f[i + 1]), hops: Number(f[i + 2]), op, bucket: what.slice(1), key: f[i + 5] as string, value: f[i + 6] as string } as Request & { path?: string };
      const path = f[i + 3] as string;
      if (path !== '') req.path = path;
      onRequest(req);
      i += 7;
    } else {
      onReply(idOf(head), f[i + 1] as string);
      i += 2;
    }
  }
}

/** The messages of a packed run of records, in order. */
export function unpackRecords(packed: string): DataMessage[] {
  const out: DataMessage[] = [];
  forEachRecord(
    packed,
    (req) => out.push(req),
    (id, field) => {
      const r = readField(field);
      out.push('error' in r ? { type: 'err', id, error: r.error } : { type: 'ok', id, value: r.value });
    },
  );
  return out;
}

/** The frame of a queue: packed records merged into runs (one string if nothing else is queued), order kept. */
export function frameOf(queue: (DataMessage | string)[]): Frame {
  let packed = true;
  for (let i = 0; i < queue.length && packed; i++) packed = typeof queue[i] === 'string';
  if (packed) return queue.length === 1 ? (queue[0] as string) : (queue as string[]).join(SEP);
  const frame: (DataMessage | string)[] = [];
  let run: string[] = [];
  for (const item of queue) {
    if (typeof item === 'string') run.push(item);
    else {
      if (run.length > 0) frame.push(run.join(SEP));
      run = [];
      frame.push(item);
    }
  }
  if (run.length > 0) frame.push(run.join(SEP));
  return frame;
}
