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
  'KV_ERR_NO_PROCESS',
  'KV_ERR_TOO_MANY_PROCESSES',
  'KV_ERR_MAILBOX_FULL',
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
      return error.issues.length > 0 ? { code: error.code, message: messageOf(error.message), issues: error.issues } : { code: error.code, message: messageOf(error.message) };
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

/** The message of an Error (without its name: `ENOENT: no such file…`), or of anything else thrown, as `messageOf` prints it. Never throws. */
export function reasonOf(error: unknown): string {
  try {
    if (error instanceof Error && typeof error.message === 'string') return error.message;
  } catch {
    // A hostile value: printed as anything else is.
  }
  return messageOf(error);
}

/** Rebuilds a `KvError` from its wire form. */
export function fromWire(wire: WireError): KvError {
  return new KvError(wire.code, wire.message, wire.issues ?? []);
}

/**
 * The catalogue: every error kvmesh makes, by kind, each with its one text shape. Call sites
 * pass only what varies (names, numbers, an already formatted detail), so a text is written once
 * and two sites of the same kind cannot drift apart.
 */
export const Errors = {
  // Lifetimes
  /** KV_ERR_CLOSED: a call to (or in flight in) a cluster that is closed. */
  closed: (): KvError => new KvError('KV_ERR_CLOSED', 'the cluster is closed'),
  /** KV_ERR_CLOSED: a call through a client (in another thread) that was closed. */
  clientClosed: (): KvError => new KvError('KV_ERR_CLOSED', 'the client is closed'),
  /** KV_ERR_CLOSED: `what` of node `node` is gone because the node is stopping. */
  stopping: (node: string, what: string): KvError => new KvError('KV_ERR_CLOSED', `node "${node}" is stopping: ${what}`),
  /** KV_ERR_CLOSED: a CPU task's `this.x` used after the task returned. */
  taskReturned: (where: string): KvError => new KvError('KV_ERR_CLOSED', `${where}: the CPU task has returned, so it can no longer reach its node`),

  // Nodes
  /** KV_ERR_NODE_DOWN for a request that went to, through or was owned by `node` when it died; `why` for the death itself (in `nodedown`). */
  nodeDown: (node: string, why?: string): KvError => new KvError('KV_ERR_NODE_DOWN', why === undefined ? `node "${node}" is down` : `node "${node}" is down: ${why}`),
  /** KV_ERR_NODE_DOWN for a node on its way back (`restarting`) or out (`stopping`). */
  nodeNotUp: (node: string, state: string): KvError => new KvError('KV_ERR_NODE_DOWN', `node "${node}" is down (${state})`),
  /** KV_ERR_NODE_DOWN: `reason` (a node's death), with the supervisor's decision not to restart it. */
  staysDown: (reason: KvError, decision: string): KvError => new KvError('KV_ERR_NODE_DOWN', `${reason.message}; ${decision}`),
  /** KV_ERR_UNKNOWN_NODE naming the node and the ones that exist. */
  unknownNode: (node: string, names: readonly string[]): KvError => new KvError('KV_ERR_UNKNOWN_NODE', `unknown node ${JSON.stringify(node)} (nodes: ${names.join(', ')})`),

  // Deadlines and limits
  /** KV_ERR_TIMEOUT of a request: `what` (`get of bucket "b"`), `where` (`from node "bar"`). */
  noReply: (what: string, where: string, ms: number): KvError => new KvError('KV_ERR_TIMEOUT', `no reply to ${what} ${where} within ${ms} ms`),
  /** KV_ERR_TIMEOUT of a wait that is not a request (a task's await, a control call, draining). */
  timeout: (what: string, ms: number): KvError => new KvError('KV_ERR_TIMEOUT', `${what}: no answer within ${ms} ms`),
  /** KV_ERR_TIMEOUT from the simulation's driver: what it waited on cannot settle (`why` says how it knows). */
  simulationStuck: (why: string): KvError => new KvError('KV_ERR_TIMEOUT', why),
  /** KV_ERR_OVERLOADED: more requests in flight from one thread than it keeps. */
  overloaded: (limit: number): KvError => new KvError('KV_ERR_OVERLOADED', `more than ${limit} requests in flight from this thread: wait for some to settle`),

  // Routing and buckets
  /** KV_ERR_NO_ROUTE: `why` names the bucket and the table (core/routing.ts formats it). */
  noRoute: (why: string): KvError => new KvError('KV_ERR_NO_ROUTE', why),
  /** KV_ERR_TOO_MANY_HOPS: `why` names the path and the limit (core/routing.ts formats it). */
  tooManyHops: (why: string): KvError => new KvError('KV_ERR_TOO_MANY_HOPS', why),
  /** KV_ERR_NO_BUCKET: `bucket` (quoted) is not on node `node`. */
  noBucket: (bucket: string, node: string): KvError => new KvError('KV_ERR_NO_BUCKET', `no bucket ${bucket} on node "${node}" (create it first)`),
  /** KV_ERR_NO_BUCKET: `bucket` (quoted) was stopped (KV.Registry.stop). */
  bucketStopped: (bucket: string): KvError => new KvError('KV_ERR_NO_BUCKET', `bucket ${bucket} was stopped`),
  /** KV_ERR_NO_ROUTE: a bucket op reached a node with `storage: false`. */
  noStorage: (node: string): KvError => new KvError('KV_ERR_NO_ROUTE', `node "${node}" has storage: false and holds no buckets`),

  // Functions and modules
  /** KV_ERR_UNDEFINED_FUNCTION: `what` (`Hello.world/0 on node "foo"`) and what there is instead. */
  undefinedFunction: (what: string, instead: string): KvError => new KvError('KV_ERR_UNDEFINED_FUNCTION', `${what}: ${instead}`),
  /** KV_ERR_TASK_FAILED: `mfa` on `node` threw or rejected with `why`. */
  taskFailed: (mfa: string, node: string, why: string): KvError => new KvError('KV_ERR_TASK_FAILED', `${mfa} failed on node "${node}": ${why}`),
  /** KV_ERR_TASK_FAILED: a result that cannot be sent back (`why`: what the clone said). */
  unsendableResult: (why: string): KvError => new KvError('KV_ERR_TASK_FAILED', `the result ${why}`),
  /** KV_ERR_MODULE_LOAD: module `name` did not load from `path`. */
  moduleLoad: (name: string, path: string, why: string): KvError => new KvError('KV_ERR_MODULE_LOAD', `cannot load module ${name} from ${path}: ${why}`),

  // Input
  /** KV_ERR_BAD_ARGUMENT: `text` says which argument of which call, what it must be and what it was. */
  badArgument: (text: string): KvError => new KvError('KV_ERR_BAD_ARGUMENT', text),
  /** KV_ERR_BAD_ARGUMENT in Redis's words, for INCR of a value (or by an amount) that is not a 64-bit integer. */
  notAnInteger: (): KvError => new KvError('KV_ERR_BAD_ARGUMENT', 'value is not an integer or out of range'),
  /** KV_ERR_BAD_ARGUMENT in Redis's words, for an INCR past 64 bits. */
  overflow: (): KvError => new KvError('KV_ERR_BAD_ARGUMENT', 'increment or decrement would overflow'),
  /** KV_ERR_BAD_ARGUMENT: a value that cannot be cloned to another thread. */
  unsendable: (where: string, why: string): KvError => new KvError('KV_ERR_BAD_ARGUMENT', `${where}cannot send to another thread: ${why}`),
  /** `error` (a bad config or scenario) with the file it is about named first. */
  inFile: (file: string, error: KvError): KvError => new KvError(error.code, `${file}: ${error.message}`, error.issues),
  /** KV_ERR_BAD_CONFIG with `text`, and the issues when there are several. */
  badConfig: (text: string, issues: readonly Issue[] = []): KvError => new KvError('KV_ERR_BAD_CONFIG', text, issues),

  /** KV_ERR_LISTEN: node `node`'s TCP server cannot listen on `host:port` (`why`, the system's `code`); `setting`: the key to change (`port`, `resp.port`). */
  listen: (node: string, host: string, port: number, why: string, code: string, setting = 'port'): KvError => new KvError('KV_ERR_LISTEN', `node "${node}" cannot listen on ${host}:${port}: ${why} (${code}); change nodes.${node}.${setting} or .host in the configuration (port 0 takes a free port)`),

  // Processes
  /** KV_ERR_NO_PROCESS: no process `what` (a pid, or a name on a node), or it exited (`why`). */
  noProcess: (what: string, why = 'no such process'): KvError => new KvError('KV_ERR_NO_PROCESS', `${what}: ${why}`),
  /** KV_ERR_TOO_MANY_PROCESSES: a spawn on `node`, which runs `limit` processes already. */
  tooManyProcesses: (node: string, limit: number): KvError => new KvError('KV_ERR_TOO_MANY_PROCESSES', `node "${node}" runs ${limit} processes, its limit (maxProcesses): a process must exit before another can start`),
  /** KV_ERR_MAILBOX_FULL: the reason of a process killed because `limit` messages waited in its mailbox. */
  mailboxFull: (pid: string, mfa: string, limit: number): KvError => new KvError('KV_ERR_MAILBOX_FULL', `the mailbox of ${pid} (${mfa}) is full: ${limit} messages wait (maxMailbox), so it was killed`),
  /** KV_ERR_TIMEOUT of a `receive` (`waiting`: who waited) that no matching message ended. */
  receiveTimeout: (waiting: string, ms: number): KvError => new KvError('KV_ERR_TIMEOUT', `receive in ${waiting}: no matching message within ${ms} ms`),
  /** KV_ERR_TIMEOUT of a `callServer` to `server`. */
  callTimeout: (server: string, ms: number): KvError => new KvError('KV_ERR_TIMEOUT', `no reply from ${server} within ${ms} ms`),

  // kvmesh's own faults
  /** KV_ERR_INTERNAL: a message sent where nothing runs it, or a state that cannot happen. */
  internal: (text: string): KvError => new KvError('KV_ERR_INTERNAL', text),
};
