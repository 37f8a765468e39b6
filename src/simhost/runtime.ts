/**
 * A node of the simulation: the same `KvNode` as in a worker thread, run in the simulation's one
 * thread, on the world's scheduler under its own name (so pausing or dropping it holds or ends its
 * timers and deliveries), with links of the simulated network. Control calls are events of the
 * node, so a paused node answers none. A kill drops the node from the world and closes its links.
 */
import { Errors, KvError } from '../protocol/errors.js';
import type { NodeControl, NodeStats, Tables } from '../protocol/messages.js';
import type { Settings } from '../core/config.js';
import type { Link } from '../transport/link.js';
import type { Scheduler } from '../transport/scheduler.js';
import { KvNode } from '../node/node.js';
import type { Module, PooledModule } from '../node/modules.js';
import { inlinePool } from '../node/inline-pool.js';
import type { ControlCalls, NodeRuntime, RuntimeHooks } from '../cluster/host.js';
import { beatInterval } from '../cluster/heartbeat.js';
import { Lifetime } from '../cluster/lifetime.js';
import type { SimWorld } from '../sim/world.js';
import type { Random } from '../sim/random.js';

/** How long a control call takes to reach a node, virtual ms. */
const CONTROL_MS = 0.01;

/** Which node a runtime is, and what it starts with: its tables, its links, which life of it this is. */
export interface SimStart {
  readonly index: number;
  readonly tables: Tables;
  readonly links: readonly { index: number; port: Link }[];
  readonly creation: number;
}

/** One life of a simulated node. */
export class SimRuntime implements NodeRuntime<Link> {
  readonly name: string;
  readonly ready: Promise<void>;
  readonly exited: Promise<void>;
  isReady = false;
  readonly port: number | undefined = undefined;
  readonly #world: SimWorld;
  readonly #supervisor: Scheduler;
  readonly #scheduler: Scheduler;
  readonly #node: KvNode;
  readonly #control: NodeControl<Link>;
  readonly #onDeath: (reason: KvError) => void;
  readonly #life = new Lifetime();
  #exit: () => void = () => undefined;
  #beats = 0;

  readonly #faultCounts: (from: string) => NodeStats['faults'];

  constructor(world: SimWorld, supervisor: Scheduler, random: Random, faultCounts: (from: string) => NodeStats['faults'], settings: Settings, start: SimStart, hooks: RuntimeHooks, modules: ReadonlyMap<string, Module | PooledModule>) {
    const { index, tables, links, creation } = start;
    const name = settings.nodes[index]?.name ?? `#${index}`;
    this.name = name;
    this.#world = world;
    this.#supervisor = supervisor;
    this.#scheduler = world.scheduler(name);
    this.#onDeath = hooks.onDeath;
    this.#faultCounts = faultCounts;
    this.#node = new KvNode(name, index, settings, tables, modules, {
      notify: (msg) => {
        if (msg.type === 'spawn-failed') hooks.onMessage(msg);
      },
      scheduler: this.#scheduler,
      random: random.fork(name),
      pool: inlinePool(name, modules),
      creation,
    });
    this.#control = this.#node.control();
    for (const { index: i, port } of links) this.#node.attach(i, port);
    // The heartbeat's progress counter moves with the node's own turns: a paused node's stands still.
    this.#scheduler.every(beatInterval(settings.heartbeatMs), () => this.#beats++);
    this.exited = new Promise((resolve) => {
      this.#exit = resolve;
    });
    this.ready = new Promise((resolve) => {
      this.#scheduler.after(0, () => {
        this.isReady = true;
        world.note('start', name, name, `node ${name} ready`);
        resolve();
      });
    });
  }

  /** The node's progress counter. */
  progress(): number {
    return this.#beats;
  }

  /** The node's processes alive now. */
  processes(): number {
    return this.#node.processCount;
  }

  /** Why it ended, or undefined while it lives. */
  get ended(): KvError | undefined {
    return this.#life.reason;
  }

  /** Marks it dead: control calls reject with `reason`, the heartbeat stops. */
  end(reason: KvError): boolean {
    if (!this.#life.end(reason)) return false;
    return true;
  }

  /** Keeps the heartbeat's stop function. */
  watchedBy(stop: () => void): void {
    this.#life.watchedBy(stop);
  }

  /** A control call: an event of the node (held while it is paused), with a deadline on the supervisor's clock. */
  call<T>(what: string, ms: number, fn: (control: ControlCalls<Link>) => Promise<T>): Promise<T> {
    return this.#life.call(this.#supervisor, `${what} on node "${this.name}"`, ms, () => fn(this.#calls));
  }

  #at<T>(what: string, run: (c: NodeControl<Link>) => T): Promise<Awaited<T>> {
    return new Promise((resolve, reject) => {
      this.#scheduler.after(CONTROL_MS, () => {
        this.#world.note('control', 'supervisor', this.name, what);
        try {
          Promise.resolve(run(this.#control)).then(resolve, reject);
        } catch (e) {
          reject(e);
        }
      });
    });
  }

  readonly #calls: ControlCalls<Link> = {
    ping: () => this.#at('ping', (c) => c.ping()),
    setTables: (tables, version) => this.#at('setTables', (c) => c.setTables(tables, version)),
    link: (index, port) => this.#at(`link ${index}`, (c) => c.link(index, port)),
    unlink: (index) => this.#at(`unlink ${index}`, (c) => c.unlink(index)),
    setFaults: (spec) => this.#at('setFaults', (c) => c.setFaults(spec)),
    // The simulated network applies the faults: what it did to this node's frames is its count.
    stats: () => this.#at('stats', (c) => ({ ...c.stats(), faults: this.#faultCounts(this.name) })),
    command: (cmd) => this.#at(cmd.type, (c) => c.command(cmd)),
    stop: (reason) => this.#at('stop', (c) => c.stop(reason)),
  };

  /** Holds its deliveries, timers and control calls until `resume`. */
  async pause(): Promise<void> {
    this.#world.pause(this.name);
  }

  /** Runs what was held, in order. */
  resume(): void {
    this.#world.resume(this.name);
  }

  /** Kills it: its timers and the frames on their way to it are dropped, its links closed; it is gone at once. */
  async terminate(): Promise<void> {
    this.#world.drop(this.name);
    await this.#node.stop(this.#life.reason ?? Errors.nodeDown(this.name)).catch(() => undefined);
    this.#exit();
  }

  /** Kills it (a simulated node always stops at once). */
  async terminateWithin(): Promise<boolean> {
    await this.terminate();
    return true;
  }

  /** Crashes it as a thread crash would: reported to the supervisor, which decides what follows. */
  crash(reason: string): void {
    this.#onDeath(Errors.nodeDown(this.name, reason));
  }
}
