/**
 * Error codes and the one error class of kvmesh. Errors cross threads as plain data
 * (a structured clone drops classes and custom fields), so every error has a stable `code`
 * and is rebuilt as a `KvError` on the far side. Callers match on `code`, not `instanceof`.
 */

/** Every code a `KvError` can carry. */
export const ErrorCodes = [
  'KV_ERR_BAD_CONFIG',
  'KV_ERR_BAD_ARGUMENT',
  'KV_ERR_NO_ROUTE',
  'KV_ERR_TOO_MANY_HOPS',
  'KV_ERR_NO_BUCKET',
  'KV_ERR_UNKNOWN_NODE',
  'KV_ERR_NODE_DOWN',
  'KV_ERR_TIMEOUT',
  'KV_ERR_OVERLOADED',
  'KV_ERR_CLOSED',
  'KV_ERR_UNDEFINED_FUNCTION',
  'KV_ERR_TASK_FAILED',
  'KV_ERR_MODULE_LOAD',
  'KV_ERR_LINE_TOO_LONG',
  'KV_ERR_LISTEN',
  'KV_ERR_INTERNAL',
] as const;

/** A stable error code. */
export type ErrorCode = (typeof ErrorCodes)[number];

/** One problem found while validating input, with the path of the offending value. */
export interface Issue {
  readonly path: string;
  readonly message: string;
}

/** An error as it travels between threads. */
export interface WireError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly issues?: readonly Issue[];
}

/** The error kvmesh throws and rejects with. */
export class KvError extends Error {
  override readonly name = 'KvError';
  readonly code: ErrorCode;
  /** For `KV_ERR_BAD_CONFIG`: every issue found, each with its path. */
  readonly issues: readonly Issue[];

  constructor(code: ErrorCode, message: string, issues: readonly Issue[] = []) {
    super(message);
    this.code = code;
    this.issues = issues;
  }
}

const codeSet: ReadonlySet<string> = new Set(ErrorCodes);

/**
 * Runs `make` with no stack traces captured. For errors made in bulk by the data plane (a sweep
 * of expired deadlines, the requests lost with a node): their stack would only show the sweep,
 * and capturing it cost ~7 µs an error (1M timeouts took 7.6 s of KvError construction).
 */
export function stackless<T>(make: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Turns anything thrown into data that survives a structured clone; never throws, whatever was thrown. */
export function toWire(error: unknown): WireError {
  try {
    if (error instanceof KvError) {
      return error.issues.length > 0
        ? { code: error.code, message: messageOf(error.message), issues: error.issues }
        : { code: error.code, message: messageOf(error.message) };
    }
    const e = error as { code?: unknown; message?: unknown } | null;
    if (e !== null && typeof e === 'object' && typeof e.code === 'string' && codeSet.has(e.code)) {
      return { code: e.code as ErrorCode, message: messageOf(e.message) };
    }
  } catch {
    // A hostile value (a revoked proxy, a throwing getter): reported as anything else is.
  }
  return { code: 'KV_ERR_INTERNAL', message: messageOf(error) };
}

/**
 * The text of anything thrown, best effort, never throwing (an error reply must always be
 * sendable): `Name: message` for an Error, else `prefix` and the value as `String` prints it.
 */
export function messageOf(error: unknown, prefix = ''): string {
  try {
    if (error instanceof Error) {
      const { name, message } = error;
      if (typeof name === 'string' && typeof message === 'string') return `${name}: ${message}`;
    }
  } catch {
    // instanceof or a getter threw: print it as a plain value below.
  }
  if (typeof error === 'string') return prefix + error;
  try {
    return prefix + String(error);
  } catch {
    // A null prototype, or a toString that throws.
  }
  try {
    return prefix + Object.prototype.toString.call(error);
  } catch {
    // A revoked proxy.
    return `${prefix}an unprintable ${typeof error}`;
  }
}

/** Rebuilds a `KvError` from its wire form. */
export function fromWire(wire: WireError): KvError {
  return new KvError(wire.code, wire.message, wire.issues ?? []);
}

/** The errors made in more than one place, each with its one text. */
export const Errors = {
  /** KV_ERR_CLOSED: a call to (or in flight in) a cluster that is closed. */
  closed: (): KvError => new KvError('KV_ERR_CLOSED', 'the cluster is closed'),
  /** KV_ERR_NODE_DOWN for a request that went to, through or was owned by `node` when it died (the cause is in `nodedown`). */
  nodeDown: (node: string): KvError => new KvError('KV_ERR_NODE_DOWN', `node "${node}" is down`),
  /** KV_ERR_BAD_ARGUMENT in Redis's words, for INCR of a value (or by an amount) that is not a 64-bit integer. */
  notAnInteger: (): KvError => new KvError('KV_ERR_BAD_ARGUMENT', 'value is not an integer or out of range'),
  /** KV_ERR_BAD_ARGUMENT in Redis's words, for an INCR past 64 bits. */
  overflow: (): KvError => new KvError('KV_ERR_BAD_ARGUMENT', 'increment or decrement would overflow'),
};

/** KV_ERR_UNKNOWN_NODE naming the node and the ones that exist. */
export function unknownNode(node: string, names: readonly string[]): KvError {
  return new KvError('KV_ERR_UNKNOWN_NODE', `unknown node ${JSON.stringify(node)} (nodes: ${names.join(', ')})`);
}
