/**
 * RESP's inline commands (a line without `*`, as `redis-benchmark`'s PING_INLINE and a
 * telnet user send): split into arguments as Redis's `sdssplitargs` does. Blanks separate;
 * "double quotes" take the escapes \n \r \t \b \a \\ \" and \xHH; 'single quotes' take \'. A
 * closing quote must be followed by a blank or the end. Byte strings in, byte strings out. Pure.
 */
import type { Bytes } from './bytes.js';

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07' };

/** Redis's `isspace`, which separates arguments: space, \t, \n, \v, \f, \r. */
function blank(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
}

/** What ends an unquoted argument (sdssplitargs: space, \n, \r, \t; a NUL, which ends a C string there, is a byte like any other here). */
function ends(c: string): boolean {
  return c === ' ' || c === '\n' || c === '\r' || c === '\t';
}

const HEX = /^[0-9a-fA-F]{2}$/;

/** The arguments of an inline line, or undefined for unbalanced quotes (Redis: "Protocol error: unbalanced quotes in request"). */
export function splitInline(line: Bytes): Bytes[] | undefined {
  const args: Bytes[] = [];
  const n = line.length;
  let i = 0;
  for (;;) {
    while (i < n && blank(line[i])) i++;
    if (i >= n) return args;
    let arg = '';
    // A quote anywhere in an argument opens a quoted part of it, as in Redis.
    let quote: string | undefined;
    for (;;) {
      if (i >= n) {
        if (quote !== undefined) return undefined;
        break;
      }
      const c = line[i] as string;
      if (quote === undefined) {
        if (ends(c)) break;
        if (c === '"' || c === "'") quote = c;
        else arg += c;
        i++;
        continue;
      }
      if (c === quote) {
        i++;
        // The closing quote must be followed by a blank or the end.
        if (i < n && !blank(line[i])) return undefined;
        break;
      }
      const e = line[i + 1];
      if (c === '\\' && e !== undefined) {
        const hex = line.slice(i + 2, i + 4);
        if (quote === "'") arg += e === "'" ? "'" : `\\${e}`;
        else if (e === 'x' && HEX.test(hex)) {
          arg += String.fromCharCode(parseInt(hex, 16));
          i += 2;
        } else arg += ESCAPES[e] ?? e;
        i += 2;
        continue;
      }
      arg += c;
      i++;
    }
    args.push(arg);
  }
}
