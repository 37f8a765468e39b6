/** The names registered on one node (`Process.register`): one process per name, one name per process. */
import { Errors } from '../../protocol/errors.js';
import type { Pid } from '../../protocol/messages.js';
import type { Proc } from './proc.js';

/** A node's registered names. */
export class Names {
  readonly #byName = new Map<string, Proc>();

  /** The process registered under `name`. */
  get(name: string): Proc | undefined {
    return this.#byName.get(name);
  }

  /** Registers `p` under `name` on `node`; KV_ERR_BAD_ARGUMENT if the name is taken or `p` has one. */
  register(p: Proc, name: string, node: string): void {
    const holder = this.#byName.get(name);
    if (holder !== undefined) throw Errors.badArgument(`register: the name "${name}" is taken on node "${node}" by ${holder.pid}`);
    if (p.name !== undefined) throw Errors.badArgument(`register: ${p.pid} is registered as "${p.name}" already`);
    this.#byName.set(name, p);
    p.name = name;
  }

  /** Frees the name of `p`, if it has one. */
  unregister(p: Proc): void {
    if (p.name !== undefined && this.#byName.get(p.name) === p) this.#byName.delete(p.name);
    p.name = undefined;
  }

  /** The pid registered under `name`, or null. */
  whereis(name: string): Pid | null {
    return this.#byName.get(name)?.pid ?? null;
  }

  clear(): void {
    this.#byName.clear();
  }
}
