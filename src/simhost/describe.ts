/**
 * How a data-plane frame reads in a simulation's trace: each message by its kind, op, bucket and
 * id (`get "shopping" #4194304 hop 1`, `ok #4194304`), the first four of a frame, then a count.
 * Runs once per delivery, so packed records are read field by field, with nothing built for them.
 */
import { quoteBytes } from '../core/bytes.js';
import { OpOfCode, SEP } from '../protocol/batch.js';
import type { DataMessage, Frame, Signal } from '../protocol/messages.js';
import { describeReason } from '../core/pid.js';

const SHOWN = 4;

/** One message object. */
function message(m: DataMessage): string {
  switch (m.type) {
    case 'req':
      return `${m.op === 'apply' ? `${m.mod}.${m.fun}/${m.args.length}` : m.op}${m.bucket === undefined ? '' : ` ${quoteBytes(m.bucket)}`} #${m.id}${m.hops > 0 ? ` hop ${m.hops}` : ''}`;
    case 'ok':
      return `ok #${m.id}`;
    case 'err':
      return `error ${m.error.code} #${m.id}`;
    case 'breq':
      return `batch of ${m.idx?.length ?? m.ops.split(SEP).length / 3} #${m.id}${m.hops > 0 ? ` hop ${m.hops}` : ''}`;
    case 'bres':
      return `batch results #${m.id}`;
    case 'lost':
      return `lost #${m.id}`;
    case 'sig':
      return signal(m);
    default: {
      const never: never = m;
      return String(never);
    }
  }
}

/** A signal between processes: `send #PID<bar.1.0>`, `exit #PID<foo.2.0> → #PID<bar.1.0> noconnection`. */
function signal(m: Signal): string {
  const to = typeof m.to === 'string' ? m.to : `${m.to.name}@${m.to.node}`;
  switch (m.k) {
    case 'send':
    case 'io':
      return `${m.k} ${to}`;
    case 'exit':
      return `exit ${m.from} → ${to} ${describeReason(m.reason)}`;
    case 'down':
      return `down ${m.ref} → ${to} ${describeReason(m.reason)}`;
    case 'reply':
      return `reply ${m.ref} → ${to}`;
    default:
      return `${m.k} ${m.from} → ${to}`;
  }
}

/** Reads a run of packed records (`protocol/batch.ts`): a request has 7 fields, a reply 2. Adds the first ones shown; returns how many there were. */
function packed(run: string, parts: string[]): number {
  let count = 0;
  let at = 0;
  const next = (): string => {
    const end = run.indexOf(SEP, at);
    const f = run.slice(at, end < 0 ? run.length : end);
    at = end < 0 ? run.length + 1 : end + 1;
    return f;
  };
  const skip = (n: number): void => {
    for (let i = 0; i < n; i++) {
      const end = run.indexOf(SEP, at);
      at = end < 0 ? run.length + 1 : end + 1;
    }
  };
  while (at <= run.length) {
    count++;
    const show = parts.length < SHOWN;
    const head = next();
    if (head.charCodeAt(0) === 0x71 /* q */) {
      if (!show) {
        skip(6);
        continue;
      }
      skip(1);
      const hops = next();
      skip(1);
      const what = next();
      skip(2);
      parts.push(`${OpOfCode[what[0] ?? ''] ?? '?'} ${quoteBytes(what.slice(1))} #${head.slice(1)}${hops === '0' ? '' : ` hop ${hops}`}`);
    } else {
      const field = next();
      if (show) parts.push(field.charCodeAt(0) === 0x65 /* e */ ? `error ${field.slice(1, field.indexOf('\u0101'))} #${head.slice(1)}` : `ok #${head.slice(1)}`);
    }
  }
  return count;
}

/** A frame as the trace shows it. */
export function describeFrame(frame: Frame): string {
  const parts: string[] = [];
  let count = 0;
  if (typeof frame === 'string') count = packed(frame, parts);
  else {
    for (const item of frame) {
      if (typeof item === 'string') count += packed(item, parts);
      else {
        count++;
        if (parts.length < SHOWN) parts.push(message(item));
      }
    }
  }
  return count > SHOWN ? `${parts.join(', ')}, … (${count} messages)` : parts.join(', ');
}
