/** How a data-plane frame reads in a simulation's trace: each message by its kind, op, bucket and id. */
import { quoteBytes } from '../core/bytes.js';
import { SEP, forEachRecord, readField } from '../protocol/batch.js';
import type { DataMessage, Frame } from '../protocol/messages.js';

/** One message: `get "shopping" #4194304 hop 1`, `ok #4194304`, `error KV_ERR_NO_BUCKET #…`. */
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
    default: {
      const never: never = m;
      return String(never);
    }
  }
}

/** A frame as the trace shows it: its messages, the first few by name. */
export function describeFrame(frame: Frame): string {
  const parts: string[] = [];
  const add = (text: string): void => {
    if (parts.length < 4) parts.push(text);
    else if (parts.length === 4) parts.push('…');
  };
  let count = 0;
  const packed = (run: string): void =>
    forEachRecord(
      run,
      (req) => (count++, add(message(req))),
      (id, field) => {
        count++;
        const r = readField(field);
        add('error' in r ? `error ${r.error.code} #${id}` : `ok #${id}`);
      },
    );
  if (typeof frame === 'string') packed(frame);
  else for (const item of frame) if (typeof item === 'string') packed(item);
  else (count++, add(message(item)));
  return count > 4 ? `${parts.join(', ')} (${count} messages)` : parts.join(', ');
}
