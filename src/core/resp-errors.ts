/**
 * Errors as RESP replies. A command's own error (a syntax error, a wrong type) is a `RespError`
 * with its Redis prefix; a kvmesh error (a `KvError`, or its wire form) becomes `-PREFIX message`
 * with a prefix read from its `KV_ERR_*` code, so a client can match on the first word:
 * `-NODEDOWN node "bar" is down`. Pure.
 */
import type { Bytes } from './bytes.js';
import type { ErrorCode } from '../protocol/errors.js';
import { error } from './resp-reply.js';

/** An error reply of a command: `-prefix message`. */
export class RespError extends Error {
  readonly prefix: string;

  constructor(prefix: string, message: string) {
    super(message);
    this.prefix = prefix;
  }
}

/** The RESP prefix of each kvmesh error code (the README's table). */
export const RESP_PREFIXES: Readonly<Record<ErrorCode, string>> = {
  KV_ERR_BAD_CONFIG: 'ERR',
  KV_ERR_BAD_ARGUMENT: 'ERR',
  KV_ERR_NO_ROUTE: 'NOROUTE',
  KV_ERR_TOO_MANY_HOPS: 'TOOMANYHOPS',
  KV_ERR_NO_BUCKET: 'NOBUCKET',
  KV_ERR_UNKNOWN_NODE: 'ERR',
  KV_ERR_NODE_DOWN: 'NODEDOWN',
  KV_ERR_TIMEOUT: 'TIMEOUT',
  KV_ERR_OVERLOADED: 'OVERLOADED',
  KV_ERR_CLOSED: 'CLOSED',
  KV_ERR_UNDEFINED_FUNCTION: 'ERR',
  KV_ERR_TASK_FAILED: 'ERR',
  KV_ERR_MODULE_LOAD: 'ERR',
  KV_ERR_LINE_TOO_LONG: 'ERR',
  KV_ERR_LISTEN: 'ERR',
  KV_ERR_INTERNAL: 'ERR',
  // Processes are not reached over RESP.
  KV_ERR_MAILBOX_FULL: 'ERR',
  KV_ERR_NO_PROCESS: 'ERR',
  KV_ERR_TOO_MANY_PROCESSES: 'ERR',
};

/** The reply bytes of anything a command threw or rejected with. */
export function errorReply(e: unknown): Bytes {
  if (e instanceof RespError) return error(e.prefix, e.message);
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
  const prefix = typeof code === 'string' && Object.hasOwn(RESP_PREFIXES, code) ? RESP_PREFIXES[code as ErrorCode] : 'ERR';
  return error(prefix, typeof message === 'string' ? message : String(e));
}

/** `-ERR syntax error`. */
export const syntaxError = (): RespError => new RespError('ERR', 'syntax error');

/** `-ERR value is not an integer or out of range`. */
export const notAnInteger = (): RespError => new RespError('ERR', 'value is not an integer or out of range');

/** Redis's wrong-arity error: `-ERR wrong number of arguments for 'get' command`. */
export const wrongArity = (name: string): RespError => new RespError('ERR', `wrong number of arguments for '${name.toLowerCase()}' command`);

export const MIN_INT64 = -(2n ** 63n);
export const MAX_INT64 = 2n ** 63n - 1n;

/** A 64-bit signed integer argument, as Redis reads one (no spaces, no `+`, no leading zeros); else undefined. */
export function int64(arg: Bytes): bigint | undefined {
  if (!/^(?:0|-?[1-9][0-9]{0,19})$/.test(arg)) return undefined;
  const n = BigInt(arg);
  return n < MIN_INT64 || n > MAX_INT64 ? undefined : n;
}
