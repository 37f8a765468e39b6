/**
 * The built-in modules of a node (the guide's Kernel, KV.Registry, KV.Bucket, KV.Router and
 * Application), and the argument checks they share with the node's context. They take and
 * return the client API's strings: a name is converted to its bytes on the way in and a value
 * decoded on the way out, so `KV.Bucket.get('café', …)` reads the bucket `kv.create('café')`
 * made. Every argument is checked first: nothing a caller sends reaches the registry as
 * something it cannot hold.
 */
import { fromBytes, toBytes } from '../core/bytes.js';
import type { Bytes } from '../core/bytes.js';
import { Errors, KvError } from '../protocol/errors.js';
import { MAX_TIMEOUT_MS } from '../core/config.js';
import { isPid, isRef, isServerName } from '../core/pid.js';
import type { Builtin, Module, NodeContext } from './modules.js';
import type { Storage } from './storage.js';
import { redisOps } from './redis-ops.js';

/** What an argument must be. */
type Rule = 'string' | 'array' | 'strings' | 'any' | 'timeout' | 'ms' | 'function' | 'boolean' | 'pid' | 'ref' | 'dest' | 'match' | 'wait' | 'from';

/** A parameter: its name and the rule its argument must pass. */
export type Param = readonly [name: string, rule: Rule];

const RULES: Readonly<Record<Rule, readonly [passes: (v: unknown) => boolean, text: string]>> = {
  string: [(v) => typeof v === 'string', 'a string'],
  array: [Array.isArray, 'an array'],
  strings: [(v) => Array.isArray(v) && v.every((s) => typeof s === 'string'), 'an array of strings'],
  any: [() => true, 'anything'],
  timeout: [(v) => v === undefined || (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_TIMEOUT_MS), `a whole number of ms (1 to ${MAX_TIMEOUT_MS}) or undefined`],
  ms: [(v) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_TIMEOUT_MS, `a number of ms (0 to ${MAX_TIMEOUT_MS})`],
  function: [(v) => typeof v === 'function', 'a function'],
  boolean: [(v) => typeof v === 'boolean', 'true or false'],
  pid: [isPid, 'a pid (#PID<node.id.creation>)'],
  ref: [isRef, 'a ref (#Ref<node.n.creation>)'],
  dest: [(v) => isPid(v) || isServerName(v), 'a pid or { name, node }'],
  match: [(v) => v === undefined || typeof v === 'function', 'a function or undefined'],
  wait: [(v) => v === undefined || (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_TIMEOUT_MS), `a number of ms (0 to ${MAX_TIMEOUT_MS}) or undefined`],
  from: [(v) => v !== null && typeof v === 'object' && isPid((v as { pid?: unknown }).pid) && isRef((v as { ref?: unknown }).ref), 'the { pid, ref } of a $call message'],
};

const BUCKET: Param = ['bucket', 'string'];
const KEY: Param = ['key', 'string'];
const MFA: readonly Param[] = [
  ['module', 'string'],
  ['function', 'string'],
  ['args', 'array'],
];
/** The parameters of `route` (`KV.Router.route/4`, `this.route`). */
export const ROUTE_PARAMS: readonly Param[] = [BUCKET, ...MFA];
/** The parameters of `this.spawn`. */
export const SPAWN_PARAMS: readonly Param[] = [['node', 'string'], ...MFA];
/** The parameters of `this.call`. */
export const CALL_PARAMS: readonly Param[] = [...SPAWN_PARAMS, ['timeout', 'timeout']];
/** The parameters of `this.getEnv`. */
export const ENV_PARAMS: readonly Param[] = [KEY];
/** `this.after(ms, fn)`. */
export const AFTER_PARAMS: readonly Param[] = [
  ['ms', 'ms'],
  ['fn', 'function'],
];
/** `this.send(dest, msg)`. */
export const SEND_PARAMS: readonly Param[] = [
  ['dest', 'dest'],
  ['message', 'any'],
];
/** `this.puts(text)`. */
export const PUTS_PARAMS: readonly Param[] = [['text', 'string']];
/** `this.whereis(name, node?)`. */
export const WHEREIS_PARAMS: readonly Param[] = [
  ['name', 'string'],
  ['node', 'string'],
];

/** How an error message names the type of `value` (a number as itself, for timeouts). */
function received(value: unknown, rule: Rule): string {
  if ((rule === 'timeout' || rule === 'wait') && typeof value === 'number') return String(value);
  if ((rule === 'pid' || rule === 'ref' || rule === 'dest') && typeof value === 'string') return `string ${JSON.stringify(value)}`;
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** KV_ERR_BAD_ARGUMENT for the first argument that breaks its parameter's rule (`where`: `KV.Bucket.get/2`, `this.route`), or undefined. */
export function argumentError(where: string, params: readonly Param[], args: readonly unknown[]): KvError | undefined {
  for (let i = 0; i < params.length && i < args.length; i++) {
    const [name, rule] = params[i] as Param;
    const [passes, text] = RULES[rule];
    if (!passes(args[i])) return Errors.badArgument(`${where}: argument ${i + 1} (${name}) must be ${text}, received ${received(args[i], rule)}`);
  }
  return undefined;
}

/** Throws the `argumentError`, if any. */
export function checkArgs(where: string, params: readonly Param[], args: readonly unknown[]): void {
  const error = argumentError(where, params, args);
  if (error !== undefined) throw error;
}

/** A built-in function: its parameters, the code it runs once they pass, and how many trailing ones may be left out. */
export type Def = readonly [params: readonly Param[], run: (...args: never[]) => unknown, optional?: number];

/** A built-in module: each function checks its arguments against its parameters, then runs. */
export function module(mod: string, defs: Readonly<Record<string, Def>>): [string, Module] {
  const fns = Object.entries(defs).map(([fun, [params, run, optional = 0]]): [string, Builtin] => {
    const arities = Array.from({ length: optional + 1 }, (_, i) => params.length - optional + i);
    // Named once per arity, not per call: a data-plane built-in (KV.Redis) runs once per request.
    const names = new Map(arities.map((n) => [n, `${mod}.${fun}/${n}`]));
    const checked = (...args: unknown[]): unknown => {
      checkArgs(names.get(args.length) ?? `${mod}.${fun}/${args.length}`, params, args);
      return (run as (...a: unknown[]) => unknown)(...args);
    };
    return [fun, Object.assign(checked, { arities })];
  });
  return [mod, Object.fromEntries(fns)];
}

const decode = (value: Bytes | undefined): string | undefined => (value === undefined ? undefined : fromBytes(value));

/** The built-in modules of node `name`, over its context and its storage. */
export function builtins(name: string, ctx: NodeContext, storage: Storage): [string, Module][] {
  const registry = storage.registry;
  return [
    module('Kernel', { node: [[], () => ctx.node()], nodes: [[], () => ctx.nodes()] }),
    module('KV.Registry', {
      // Through Storage, as a client's create goes: a storage: false node holds no buckets.
      create: [[BUCKET], (b: string) => (storage.run('create', toBytes(b), '', ''), name)],
      lookup: [[BUCKET], (b: string) => (registry.lookup(toBytes(b)) === undefined ? null : name)],
    }),
    module('KV.Bucket', {
      get: [[BUCKET, KEY], (b: string, k: string) => decode(storage.run('get', toBytes(b), toBytes(k), ''))],
      put: [[BUCKET, KEY, ['value', 'string']], (b: string, k: string, v: string) => (storage.run('put', toBytes(b), toBytes(k), toBytes(v)), 'ok')],
      delete: [[BUCKET, KEY], (b: string, k: string) => decode(storage.run('delete', toBytes(b), toBytes(k), ''))],
      // stop/2 takes the guide's reason (:normal, :shutdown), which changes nothing here.
      stop: [[BUCKET, ['reason', 'any']], (b: string) => (storage.stop(toBytes(b)) ? 'ok' : null), 1],
    }),
    module('KV.Router', { route: [ROUTE_PARAMS, (b: string, m: string, f: string, a: unknown[]) => ctx.route(b, m, f, a)] }),
    redisOps(storage),
    module('Application', {
      get_env: [[KEY], (key: string) => ctx.getEnv(key)],
      fetch_env: [
        [KEY],
        (key: string) => {
          const value = ctx.getEnv(key);
          if (value === undefined) throw Errors.badArgument(`the application environment of node "${name}" has no key "${key}"`);
          return value;
        },
      ],
      put_env: [[KEY, ['value', 'any']], async (key: string, value: unknown) => (await ctx.putEnv(key, value), 'ok')],
    }),
  ];
}
