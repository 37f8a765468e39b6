/**
 * The node supervisor: starts every node with a full data-plane mesh, watches them (exit,
 * heartbeat), settles every request a dead node takes with it, and restarts it within its
 * restart intensity: fresh thread, same name, new ports to the client and every live node.
 */
import type { Scheduler } from '../transport/scheduler.js';
import type { Endpoint } from '../transport/endpoint.js';
import { withDeadline } from '../transport/deadline.js';
import { NO_FAULTS, faultsFrom } from '../transport/faults.js';
import type { FaultSpec } from '../transport/faults.js';
import { wireMesh } from '../transport/mesh.js';
import { Errors, KvError, reasonOf, toWire } from '../protocol/errors.js';
import { CLIENT } from '../protocol/messages.js';
import type { Lifecycle, Tables } from '../protocol/messages.js';
import type { Settings } from '../core/config.js';
import type { RoutingTable } from '../core/routing.js';
import { decideRestart } from '../core/intensity.js';
import type { ClusterHost, ControlCalls, NodeRuntime } from './host.js';
import { startHeartbeat } from './heartbeat.js';
import type { NodeDownEvent, NodeState, NodeStatus, NodeUpEvent } from './events.js';
import type { ClientRegistry } from './clients.js';

const START_TIMEOUT_MS = 30_000;
const CONTROL_TIMEOUT_MS = 2_000;
/** On close, how long a node gets to stop, then how long its thread gets to exit, before it is let go. */
const STOP_MS = 500;
const EXIT_MS = 400;
/** How long `nodeup` waits for a live peer to take its link to a restarted node: a stuck peer must not hold it up (it will be declared blocked anyway). */
const PEER_LINK_MS = 500;

/** What the supervisor needs from the cluster facade. */
export interface SupervisorOptions<E> {
  readonly settings: Settings;
  /** What nodes run on: worker threads, or a simulation. */
  readonly host: ClusterHost<E>;
  /** The main thread's data plane; link `CLIENT` is the client. */
  readonly endpoint: Endpoint;
  readonly tables: () => ReadonlyMap<string, RoutingTable>;
  /** The version of those tables: every change counts one. */
  readonly version: () => number;
  /** Client threads attached to the cluster: told of deaths, linked to restarted nodes. */
  readonly clients: ClientRegistry<E>;
  readonly onMessage: (msg: Lifecycle & { type: 'spawn-failed' }) => void;
  readonly onNodeDown: (event: NodeDownEvent) => void;
  readonly onNodeUp: (event: NodeUpEvent) => void;
  /** A node thread is ready (at start and after each restart), serving TCP on `port` and RESP on `respPort` if any. */
  readonly onReady: (node: string, port: number | undefined, respPort: number | undefined) => void;
}

interface Slot<E> {
  readonly name: string;
  readonly index: number;
  /** `removed`: it left the cluster (`removeNode`); its link index is never reused. */
  state: NodeState | 'starting' | 'removed';
  restarts: number;
  history: readonly number[];
  inc: NodeRuntime<E> | undefined;
  reason: KvError | undefined;
  /** This node's deaths and restarts, in order; other nodes' never wait on it. */
  chain: Promise<void>;
}

/** Starts, watches, restarts and stops the node threads. */
export class Supervisor<E> {
  readonly #o: SupervisorOptions<E>;
  readonly #host: ClusterHost<E>;
  readonly #clock: Scheduler;
  readonly #slots: Slot<E>[];
  /** Every node's settings by link index (nodes that joined later included). */
  #settings: Settings;
  #started = false;
  #closing = false;
  #faults: FaultSpec = NO_FAULTS;

  constructor(options: SupervisorOptions<E>) {
    this.#o = options;
    this.#host = options.host;
    this.#clock = options.host.scheduler;
    this.#settings = options.settings;
    this.#slots = options.settings.nodes.map((n, index) => ({ name: n.name, index, state: 'starting', restarts: 0, history: [], inc: undefined, reason: undefined, chain: Promise.resolve() }));
  }

  /** Starts every node with a full mesh; resolves when all are ready, rejects with the first failure. */
  async start(): Promise<void> {
    const { nodeLinks: links, clientPorts } = wireMesh(this.#slots.length, (a, b) => this.#host.channel(this.#nameOf(a), this.#nameOf(b)), CLIENT);
    clientPorts.forEach((port, i) => this.#o.endpoint.attach(i, this.#host.link(port)));
    for (const slot of this.#slots) slot.inc = this.#spawn(slot, links[slot.index] ?? []);
    await withDeadline(this.#clock, Promise.all(this.#slots.map((s) => (s.inc as NodeRuntime<E>).ready)), START_TIMEOUT_MS, 'starting the nodes');
    const dead = this.#slots.find((s) => s.inc?.ended !== undefined)?.inc?.ended;
    if (dead !== undefined) throw dead;
    this.#started = true;
    for (const slot of this.#slots) this.#up(slot, slot.inc as NodeRuntime<E>);
  }

  /** Every node's state and restart count, in config order. */
  status(): NodeStatus[] {
    return this.#slots
      .filter((s) => s.state !== 'removed')
      .map((s) => ({
        node: s.name,
        state: s.state === 'starting' ? 'restarting' : (s.state as NodeState),
        restarts: s.restarts,
        processes: s.state === 'up' ? (s.inc?.processes() ?? 0) : 0,
        ...(s.reason === undefined ? {} : { reason: s.reason.message }),
      }));
  }

  /** Whether node `index` is up. */
  isUp(index: number): boolean {
    return this.#slots[index]?.state === 'up';
  }

  /** A control call on node `index` (answered within `ms`, default 2 s); rejects with KV_ERR_NODE_DOWN at once if it is not up or dies meanwhile. */
  call<T>(index: number, what: string, fn: (control: ControlCalls<E>) => Promise<T>, ms = CONTROL_TIMEOUT_MS): Promise<T> {
    const slot = this.#slots[index];
    const inc = slot?.inc;
    if (slot === undefined || inc === undefined || slot.state !== 'up') return Promise.reject(this.#notUp(slot));
    return inc.call(what, ms, fn);
  }

  /** Applies the network's faults: on the main thread's sends, and on every node's (now, and when it restarts). */
  setFaults(spec: FaultSpec): Promise<void> {
    this.#faults = spec;
    if (this.#host.applyFaults !== undefined) {
      this.#host.applyFaults(spec);
      return Promise.resolve();
    }
    this.#o.endpoint.setFaults(
      faultsFrom(
        spec,
        'client',
        this.#slots.map((s) => s.name),
      ),
      this.#host.random,
    );
    return this.broadcast('setFaults', (c) => c.setFaults(spec));
  }

  /** Sends every node's current table (and their version) to every node that is up, and to every attached client. */
  pushTables(): Promise<void> {
    const tables = this.#tablesRecord();
    const version = this.#o.version();
    this.#o.clients.broadcast({ type: 'tables', tables });
    return this.broadcast('setTables', (c) => c.setTables(tables, version));
  }

  /** The same control call on every node that is up; a node that dies meanwhile is skipped (a restart starts from the current state). */
  async broadcast(what: string, fn: (control: ControlCalls<E>) => Promise<unknown>): Promise<void> {
    const skipDown = (e: unknown): void => {
      if ((e as KvError).code !== 'KV_ERR_NODE_DOWN') throw e;
    };
    await Promise.all(this.#slots.filter((s) => s.state === 'up').map((s) => this.call(s.index, what, fn).catch(skipDown)));
  }

  /** Stops node `index` running until `resume` (its messages wait); past `heartbeatMs` the heartbeat declares it blocked. */
  async pause(index: number): Promise<void> {
    const slot = this.#slots[index];
    if (slot?.inc === undefined || slot.state !== 'up') throw this.#notUp(slot);
    await slot.inc.pause();
  }

  /** Lets node `index` run again. */
  resume(index: number): void {
    this.#slots[index]?.inc?.resume();
  }

  /** Crashes node `index` on purpose (its thread is terminated); resolves once it has died and its thread is gone. */
  async kill(index: number, why: string): Promise<void> {
    const slot = this.#slots[index];
    const inc = slot?.inc;
    if (slot === undefined || inc === undefined || slot.state !== 'up') throw this.#notUp(slot);
    this.#died(slot, inc, Errors.nodeDown(slot.name, why));
    await inc.exited;
  }

  /**
   * Stops every node thread, including one being restarted; `reason` rejects their pending
   * requests. Returns within about a second even when a thread is stuck in a native call: such a
   * thread is let go (named in a warning). Idempotent.
   */
  async close(reason: KvError): Promise<void> {
    this.#closing = true;
    this.#o.clients.close();
    await Promise.all(
      this.#slots.map(async (slot) => {
        const inc = slot.inc;
        if (inc === undefined) return;
        inc.resume();
        const stopped = await this.#askToStop(inc, reason);
        // A node that answered its stop is not stuck: its thread ends, however loaded the machine.
        // One that did not answer gets EXIT_MS more, then is let go.
        if (stopped) await inc.terminate();
        else if (!(await inc.terminateWithin(EXIT_MS))) this.#host.warn(`the thread of node "${slot.name}" did not stop within ${STOP_MS + EXIT_MS} ms (stuck in a native call?) and was abandoned`, 'KV_WARN_THREAD_ABANDONED');
      }),
    );
    // Stopped, not crashed: no nodedown, but status tells the truth. A restart under way sees
    // #closing at its next step and ends what it started.
    for (const slot of this.#slots) {
      slot.state = 'down';
      slot.reason = reason;
    }
  }

  #spawn(slot: Slot<E>, links: readonly { index: number; port: E }[]): NodeRuntime<E> {
    const inc: NodeRuntime<E> = this.#host.spawn(
      this.#settings,
      slot.index,
      this.#tablesRecord(),
      links,
      {
        onMessage: (msg) => this.#o.onMessage(msg),
        onDeath: (reason) => this.#died(slot, inc, reason),
      },
      slot.restarts,
    );
    return inc;
  }

  /** Marks `inc` up: serving, watched by the heartbeat. */
  #up(slot: Slot<E>, inc: NodeRuntime<E>): void {
    slot.state = 'up';
    this.#o.onReady(slot.name, inc.port, inc.respPort);
    inc.watchedBy(
      startHeartbeat({
        detectMs: this.#settings.heartbeatMs,
        clock: this.#clock,
        progress: () => inc.progress(),
        onSilent: (silentMs) => {
          this.#died(slot, inc, Errors.nodeDown(slot.name, `its thread made no progress for ${silentMs} ms (blocked), so it was terminated`));
        },
      }),
    );
  }

  /**
   * One death of `inc`: everyone that sent it work learns now (not once its thread has exited:
   * one stuck in a native call can take seconds), then a restart is decided. Idempotent per incarnation.
   */
  #died(slot: Slot<E>, inc: NodeRuntime<E>, reason: KvError): void {
    if (!inc.end(reason)) return;
    // While starting or closing, start() and close() deal with every thread themselves.
    if (this.#closing || !this.#started) return;
    if (slot.inc !== inc) {
      void inc.terminate();
      return;
    }
    const decision = decideRestart(slot.name, this.#settings.nodes[slot.index]?.restart ?? 'never', slot.history, this.#clock.now());
    slot.history = decision.history;
    slot.state = decision.restart ? 'restarting' : 'down';
    slot.reason = decision.restart ? reason : Errors.staysDown(reason, decision.why);
    // The main thread's requests to it; then every client thread and live node, each of which
    // settles its own requests to it and tells the originators of what it forwarded there.
    this.#o.endpoint.linkLost(slot.index);
    this.#o.clients.broadcast({ type: 'down', index: slot.index });
    void this.broadcast('unlink', (c) => c.unlink(slot.index)).catch(() => undefined);
    // The thread may still run (killed, blocked): its restart waits for it to be gone.
    const exited = inc.terminate();
    this.#o.onNodeDown({ node: slot.name, reason, restarting: decision.restart });
    slot.chain = slot.chain
      .then(() => exited)
      .then(() => (decision.restart ? this.#restart(slot) : undefined))
      .catch(() => undefined);
  }

  /** Restarts `slot` (a new incarnation counted as a restart); `nodeup` once it is up and linked. */
  async #restart(slot: Slot<E>): Promise<void> {
    if (this.#closing || slot.state !== 'restarting') return;
    slot.restarts++;
    if (await this.#incarnate(slot)) this.#o.onNodeUp({ node: slot.name, restarts: slot.restarts });
  }

  /**
   * Starts node `index` of `settings` (which now hold it: it joins the cluster) and links it to the
   * client, the client threads and every live node; rejects with why if it does not come up (it is then
   * removed again).
   */
  async join(settings: Settings, index: number): Promise<void> {
    this.#settings = settings;
    const name = settings.nodes[index]?.name ?? `#${index}`;
    const slot: Slot<E> = { name, index, state: 'restarting', restarts: 0, history: [], inc: undefined, reason: undefined, chain: Promise.resolve() };
    this.#slots[index] = slot;
    if (await this.#incarnate(slot)) return;
    slot.state = 'removed';
    throw slot.reason ?? Errors.nodeDown(name, 'it did not start');
  }

  /** Stops node `index` for good (it left the cluster): never restarted, no longer in `status()`; resolves once its thread is gone. */
  async retire(index: number, reason: KvError): Promise<void> {
    const slot = this.#slots[index];
    const inc = slot?.inc;
    if (slot === undefined || inc === undefined) return;
    slot.state = 'removed';
    const stopped = await this.#askToStop(inc, reason);
    this.#o.endpoint.linkLost(index);
    this.#o.clients.broadcast({ type: 'down', index });
    await this.broadcast('unlink', (c) => c.unlink(index)).catch(() => undefined);
    if (stopped) await inc.terminate();
    else await inc.terminateWithin(EXIT_MS);
  }

  /** Starts a fresh thread for `slot`; once ready it is wired to the client, the client threads and every live node (true). A failed start counts as another death (false). */
  async #incarnate(slot: Slot<E>): Promise<boolean> {
    const [toNode, toClient] = this.#host.channel('client', slot.name);
    const clients = this.#o.clients.indexes.map((index) => ({ index, ends: this.#host.channel(`client${index}`, slot.name) }));
    const inc = this.#spawn(slot, [{ index: CLIENT, port: toClient }, ...clients.map((c) => ({ index: c.index, port: c.ends[1] }))]);
    slot.inc = inc;
    const abandon = (): void => {
      this.#host.link(toNode).close();
      for (const c of clients) this.#host.link(c.ends[0]).close();
    };
    try {
      await withDeadline(this.#clock, inc.ready, START_TIMEOUT_MS, `restarting node "${slot.name}"`);
    } catch (e) {
      abandon();
      const reason = e instanceof KvError && e.code === 'KV_ERR_NODE_DOWN' ? e : Errors.nodeDown(slot.name, reasonOf(e));
      slot.reason = reason;
      this.#died(slot, inc, reason);
      return false;
    }

    if (this.#closing || inc.ended !== undefined) {
      abandon();
      return false;
    }
    // Wired in one synchronous step, and marked up in it: of two nodes restarting at once, the
    // one up second links to the first, and a peer that dies from here on is unlinked here too.
    this.#o.endpoint.attach(slot.index, this.#host.link(toNode));
    for (const c of clients) this.#o.clients.link(c.index, slot.index, c.ends[0]);
    const linked = this.#slots.filter((s) => s !== slot && s.state === 'up').map((peer) => this.#link(slot, inc, peer));
    // Tables may have changed while it started.
    const tables = this.#tablesRecord();
    const version = this.#o.version();
    const faults = this.#faults;
    const current = Promise.all([inc.call('setTables', CONTROL_TIMEOUT_MS, (c) => c.setTables(tables, version)), this.#host.applyFaults === undefined ? inc.call('setFaults', CONTROL_TIMEOUT_MS, (c) => c.setFaults(faults)) : undefined]).catch(() => undefined);
    this.#up(slot, inc);
    await Promise.all([...linked, current]);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- both may change while it links
    return !this.#closing && inc.ended === undefined;
  }

  /** A new data channel between the restarted node of `slot` and live node `peer`. */
  #link(slot: Slot<E>, inc: NodeRuntime<E>, peer: Slot<E>): Promise<unknown> {
    const [a, b] = this.#host.channel(slot.name, peer.name);
    const peerInc = peer.inc as NodeRuntime<E>;
    return Promise.all([inc.call('link', CONTROL_TIMEOUT_MS, (c) => c.link(peer.index, a)), peerInc.call('link', PEER_LINK_MS, (c) => c.link(slot.index, b))]).catch(() => undefined);
  }

  /** Asks a node that is up to stop (its buckets, its servers) within STOP_MS, then ends it either way; resolves with whether it answered. */
  async #askToStop(inc: NodeRuntime<E>, reason: KvError): Promise<boolean> {
    const answered =
      inc.isReady &&
      inc.ended === undefined &&
      (await inc
        .call('stop', STOP_MS, (c) => c.stop(toWire(reason)))
        .then(
          () => true,
          () => false,
        ));
    inc.end(reason);
    return answered;
  }

  #notUp(slot: Slot<E> | undefined): KvError {
    // Callers pass indexes the facade checked: no slot is kvmesh's own fault.
    if (slot === undefined) return Errors.internal('no node has this index');
    // A node that stays down says why; one on its way back says only that.
    if (slot.state === 'down' && slot.reason !== undefined) return slot.reason;
    return Errors.nodeNotUp(slot.name, slot.state === 'up' ? 'stopping' : slot.state);
  }

  /** The name of link `index`: a node, or the client. */
  #nameOf(index: number): string {
    return this.#slots[index]?.name ?? 'client';
  }

  #tablesRecord(): Tables {
    return Object.fromEntries(this.#o.tables());
  }
}
