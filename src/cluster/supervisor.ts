/**
 * The node supervisor: starts every node with a full data-plane mesh, watches them (exit,
 * heartbeat), settles every request a dead node takes with it, and restarts it within its
 * restart intensity: fresh thread, same name, new ports to the client and every live node.
 */
import { MessageChannel } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { systemClock } from '../transport/clock.js';
import type { Clock } from '../transport/clock.js';
import type { Endpoint } from '../transport/endpoint.js';
import { transferPort } from '../transport/control.js';
import type { ControlProxy } from '../transport/control.js';
import { withDeadline } from '../transport/deadline.js';
import { wireMesh } from '../transport/mesh.js';
import { KvError, toWire } from '../protocol/errors.js';
import type { Lifecycle, Tables } from '../protocol/messages.js';
import type { Settings } from '../core/config.js';
import { waitsOn } from '../core/routing.js';
import type { RoutingTable } from '../core/routing.js';
import { decideRestart } from '../core/intensity.js';
import { Incarnation } from './incarnation.js';
import { startHeartbeat } from './heartbeat.js';

const START_TIMEOUT_MS = 30_000;
const CONTROL_TIMEOUT_MS = 2_000;

/** A node's state as `cluster.status()` reports it. */
export type NodeState = 'up' | 'restarting' | 'down';

/** One node in `cluster.status()`. */
export interface NodeStatus {
  readonly node: string;
  readonly state: NodeState;
  /** Restarts so far (attempts, successful or not). */
  readonly restarts: number;
  /** Why it last went down, if it ever did. */
  readonly reason?: string;
}

/** Emitted as `nodedown`: once per death of a node thread. */
export interface NodeDownEvent {
  readonly node: string;
  /** KV_ERR_NODE_DOWN naming the node and the cause. */
  readonly reason: KvError;
  /** Whether it is being restarted; false when it stays down (policy "never", or intensity reached). */
  readonly restarting: boolean;
}

/** Emitted as `nodeup`: once per successful restart. */
export interface NodeUpEvent {
  readonly node: string;
  readonly restarts: number;
}

/** What the supervisor needs from the cluster facade. */
export interface SupervisorOptions {
  readonly settings: Settings;
  /** The main thread's data plane; link `nodes.length` is the client. */
  readonly endpoint: Endpoint;
  readonly tables: () => ReadonlyMap<string, RoutingTable>;
  readonly onMessage: (msg: Lifecycle & { type: 'table' | 'spawn-failed' }) => void;
  readonly onNodeDown: (event: NodeDownEvent) => void;
  readonly onNodeUp: (event: NodeUpEvent) => void;
  /** A node thread is ready (at start and after each restart), serving TCP on `port` if any. */
  readonly onReady: (node: string, port: number | undefined) => void;
  readonly clock?: Clock;
}

interface Slot {
  readonly name: string;
  readonly index: number;
  state: NodeState | 'starting';
  restarts: number;
  history: readonly number[];
  inc: Incarnation | undefined;
  reason: KvError | undefined;
}

/** Starts, watches, restarts and stops the node threads. */
export class Supervisor {
  readonly #o: SupervisorOptions;
  readonly #clock: Clock;
  readonly #slots: Slot[];
  /** Restarts run one at a time, so every restart sees a settled mesh. */
  #queue: Promise<void> = Promise.resolve();
  #started = false;
  #closing = false;

  constructor(options: SupervisorOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#slots = options.settings.nodes.map((n, index) => ({ name: n.name, index, state: 'starting', restarts: 0, history: [], inc: undefined, reason: undefined }));
  }

  /** Starts every node with a full mesh; resolves when all are ready, rejects with the first failure. */
  async start(): Promise<void> {
    const { nodeLinks: links, clientPorts } = wireMesh(this.#slots.length);
    clientPorts.forEach((port, i) => this.#o.endpoint.attach(i, port));
    const tables = this.#tablesRecord();
    for (const slot of this.#slots) slot.inc = this.#spawn(slot, tables, links[slot.index] ?? []);
    await withDeadline(Promise.all(this.#slots.map((s) => s.inc?.ready)), START_TIMEOUT_MS, 'starting the nodes');
    const dead = this.#slots.find((s) => s.inc?.ended !== undefined);
    if (dead !== undefined) throw dead.inc?.ended;
    this.#started = true;
    for (const slot of this.#slots) this.#up(slot, slot.inc as Incarnation);
  }

  /** Every node's state and restart count, in config order. */
  status(): NodeStatus[] {
    return this.#slots.map((s) => ({
      node: s.name,
      state: s.state === 'starting' ? 'restarting' : s.state,
      restarts: s.restarts,
      ...(s.reason === undefined ? {} : { reason: s.reason.message }),
    }));
  }

  /** A control call on node `index`; rejects with KV_ERR_NODE_DOWN at once if it is not up or dies meanwhile. */
  call<T>(index: number, what: string, fn: (control: ControlProxy) => Promise<T>): Promise<T> {
    const slot = this.#slots[index];
    const inc = slot?.inc;
    if (slot === undefined || inc === undefined || slot.state !== 'up') return Promise.reject(this.#notUp(slot));
    return inc.call(what, CONTROL_TIMEOUT_MS, fn);
  }

  /** Sends every node's current table to every node that is up. */
  pushTables(): Promise<void> {
    const tables = this.#tablesRecord();
    return this.broadcast('setTables', (c) => c.setTables(tables));
  }

  /** The same control call on every node that is up; a node that dies meanwhile is skipped (a restart starts from the current state). */
  async broadcast(what: string, fn: (control: ControlProxy) => Promise<unknown>): Promise<void> {
    const skipDown = (e: unknown): void => {
      if ((e as KvError).code !== 'KV_ERR_NODE_DOWN') throw e;
    };
    await Promise.all(this.#slots.filter((s) => s.state === 'up').map((s) => this.call(s.index, what, fn).catch(skipDown)));
  }

  /** Crashes node `index` on purpose (its thread is terminated); resolves once it has died and its thread is gone. */
  async kill(index: number, why: string): Promise<void> {
    const slot = this.#slots[index];
    const inc = slot?.inc;
    if (slot === undefined || inc === undefined || slot.state !== 'up') throw this.#notUp(slot);
    this.#died(slot, inc, new KvError('KV_ERR_NODE_DOWN', `node "${slot.name}" is down: ${why}`));
    await inc.exited;
  }

  /** Stops every node thread, including one being restarted; `reason` rejects their pending requests. Idempotent. */
  async close(reason: KvError): Promise<void> {
    this.#closing = true;
    await Promise.all(
      this.#slots.map(async (slot) => {
        const inc = slot.inc;
        if (inc === undefined) return;
        if (inc.isReady && inc.ended === undefined) await inc.call('stop', CONTROL_TIMEOUT_MS, (c) => c.stop(toWire(reason))).catch(() => undefined);
        inc.end(reason);
        await inc.terminate();
      }),
    );
    // Stopped, not crashed: no nodedown, but status tells the truth.
    for (const slot of this.#slots) {
      slot.state = 'down';
      slot.reason = reason;
    }
    // A restart in progress sees #closing after its next wait and ends what it started.
    await this.#queue;
    await Promise.all(this.#slots.map((s) => s.inc?.terminate()));
  }

  #spawn(slot: Slot, tables: Tables, links: readonly { index: number; port: MessagePort }[]): Incarnation {
    const inc: Incarnation = new Incarnation(this.#o.settings, slot.index, tables, links, {
      onMessage: (msg) => this.#o.onMessage(msg),
      onDeath: (reason) => this.#died(slot, inc, reason),
    });
    return inc;
  }

  /** Marks `inc` up: serving, watched by the heartbeat. */
  #up(slot: Slot, inc: Incarnation): void {
    slot.state = 'up';
    this.#o.onReady(slot.name, inc.port);
    inc.watchedBy(startHeartbeat({
      detectMs: this.#o.settings.heartbeatMs,
      clock: this.#clock,
      ping: () => inc.control.ping(),
      onSilent: (silentMs) => {
        this.#died(slot, inc, new KvError('KV_ERR_NODE_DOWN', `node "${slot.name}" is down: it answered no heartbeat for ${silentMs} ms (its thread is blocked), so it was terminated`));
      },
    }));
  }

  /** One death of `inc`: settle what it takes with it, tell the others, decide on a restart. Idempotent per incarnation. */
  #died(slot: Slot, inc: Incarnation, reason: KvError): void {
    if (!inc.end(reason)) return;
    // While starting or closing, start() and close() deal with every thread themselves.
    if (this.#closing || !this.#started) return;
    if (slot.inc !== inc) {
      void inc.terminate();
      return;
    }
    slot.reason = reason;
    this.#o.endpoint.detach(slot.index);
    this.#failThrough(slot.name, reason);
    const decision = decideRestart(slot.name, this.#o.settings.nodes[slot.index]?.restart ?? 'never', slot.history, this.#clock.now());
    slot.history = decision.history;
    slot.state = decision.restart ? 'restarting' : 'down';
    if (!decision.restart) slot.reason = new KvError('KV_ERR_NODE_DOWN', `${reason.message}; ${decision.why}`);
    // The thread may still run (killed, silent): end it before anyone is told it is gone.
    const cleanup = inc.terminate().then(() => this.#unlinkEverywhere(slot, reason));
    this.#o.onNodeDown({ node: slot.name, reason, restarting: decision.restart });
    this.#queue = this.#queue
      .then(() => cleanup)
      .then(() => (decision.restart ? this.#restart(slot) : undefined))
      .catch(() => undefined);
  }

  /** Rejects every request of the client that is addressed to, or routed through, node `name`. */
  #failThrough(name: string, reason: KvError): void {
    const tables = this.#o.tables();
    this.#o.endpoint.failPending((to, req) => waitsOn(tables, this.#slots[to]?.name ?? '', req, name), () => reason);
  }

  /**
   * Every live node drops its link to the dead one and fails what waits on it. Twice: a request
   * sent before the first round, through a node not yet told, is caught by the second.
   */
  async #unlinkEverywhere(dead: Slot, reason: KvError): Promise<void> {
    const round = () => this.broadcast('unlink', (c) => c.unlink(dead.index, toWire(reason))).catch(() => undefined);
    await round();
    this.#failThrough(dead.name, reason);
    await round();
  }

  /** Starts a fresh thread for `slot`, wired to the client and every live node; on failure it counts as another death. */
  async #restart(slot: Slot): Promise<void> {
    if (this.#closing || slot.state !== 'restarting') return;
    slot.restarts++;
    const toClient = new MessageChannel();
    const peers = this.#slots.filter((s) => s !== slot && s.state === 'up').map((s) => ({ slot: s, inc: s.inc, channel: new MessageChannel() }));
    const links = [{ index: this.#slots.length, port: toClient.port2 }, ...peers.map((p) => ({ index: p.slot.index, port: p.channel.port1 }))];
    const inc = this.#spawn(slot, this.#tablesRecord(), links);
    slot.inc = inc;
    const abandon = (): void => {
      toClient.port1.close();
      for (const p of peers) p.channel.port2.close();
    };
    try {
      await withDeadline(inc.ready, START_TIMEOUT_MS, `restarting node "${slot.name}"`);
    } catch (e) {
      abandon();
      const reason = e instanceof KvError && e.code === 'KV_ERR_NODE_DOWN' ? e : new KvError('KV_ERR_NODE_DOWN', `node "${slot.name}" is down: ${(e as Error).message}`);
      this.#died(slot, inc, reason);
      return;
    }
    if (this.#closing || inc.ended !== undefined) {
      abandon();
      return;
    }
    // Up first, so that a peer dying from here on is unlinked on this node too.
    this.#up(slot, inc);
    this.#o.endpoint.attach(slot.index, toClient.port1);
    await Promise.all(
      peers.map((p) => {
        if (p.slot.state === 'up' && p.slot.inc === p.inc) return p.inc?.call('link', CONTROL_TIMEOUT_MS, (c) => c.link(slot.index, transferPort(p.channel.port2))).catch(() => undefined);
        // The peer died while this node started: its port leads nowhere.
        p.channel.port2.close();
        return inc.call('unlink', CONTROL_TIMEOUT_MS, (c) => c.unlink(p.slot.index, toWire(this.#notUp(p.slot)))).catch(() => undefined);
      }),
    );
    // A peer that died while being linked may have missed both unlink rounds on this node.
    for (const p of peers) {
      if (p.slot.state !== 'up' || p.slot.inc !== p.inc) inc.call('unlink', CONTROL_TIMEOUT_MS, (c) => c.unlink(p.slot.index, toWire(this.#notUp(p.slot)))).catch(() => undefined);
    }
    // Tables may have changed while it started.
    await inc.call('setTables', CONTROL_TIMEOUT_MS, (c) => c.setTables(this.#tablesRecord())).catch(() => undefined);
    if (this.#closing || inc.ended !== undefined) return;
    this.#o.onNodeUp({ node: slot.name, restarts: slot.restarts });
  }

  #notUp(slot: Slot | undefined): KvError {
    if (slot === undefined) return new KvError('KV_ERR_UNKNOWN_NODE', 'unknown node');
    const state = slot.state === 'starting' ? 'starting' : slot.state === 'restarting' ? 'restarting' : 'down';
    return new KvError('KV_ERR_NODE_DOWN', `node "${slot.name}" is down (${state})${slot.reason === undefined ? '' : `: ${slot.reason.message.replace(`node "${slot.name}" is down: `, '')}`}`);
  }

  #tablesRecord(): Tables {
    return Object.fromEntries(this.#o.tables());
  }
}
