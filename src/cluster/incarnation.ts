/**
 * One life of a node: its worker thread, its control channel and proxy, and the watch on its
 * lifecycle messages and exit. A restarted node is a new incarnation with the same name.
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { transferPort, wrapControl } from '../transport/control.js';
import type { ControlProxy } from '../transport/control.js';
import { systemScheduler } from '../transport/scheduler.js';
import type { ControlCalls, NodeRuntime, RuntimeHooks } from './host.js';
import { Lifetime } from './lifetime.js';
import { nodeEntry } from './bundle.js';
import { Errors, KvError, fromWire } from '../protocol/errors.js';
import type { Lifecycle, NodeAnswers, NodeCommand, NodeInit, Tables } from '../protocol/messages.js';
import type { Settings } from '../core/config.js';

/**
 * The node thread's entry. `npm run build` also bundles it into one file (esbuild): a thread then
 * loads one module instead of about twenty, which is most of a node's start-up beyond Node's
 * own (measured, 8 threads: 110 ms bare, 170 ms from the modules, 120 ms from the bundle).
 * The bundle is used only when its build stamp matches its content and the modules' (`bundle.ts`);
 * decided once, at the first node's start.
 */
let nodeWorker: URL | undefined;
const nodeWorkerEntry = (): URL => (nodeWorker ??= nodeEntry(new URL('../node/worker.bundle.js', import.meta.url), new URL('../../workers/node.js', import.meta.url)));

/** A node's worker thread and control channel, from spawn to exit. */
export class Incarnation implements NodeRuntime<MessagePort> {
  readonly name: string;
  readonly worker: Worker;
  /** The one long-lived comlink proxy of this thread's control channel. */
  readonly control: ControlProxy;
  /** Resolves when the node reports ready; rejects with its start error, or KV_ERR_NODE_DOWN if it exits first. */
  readonly ready: Promise<void>;
  /** Resolves when the thread has exited. */
  readonly exited: Promise<void>;
  /** The TCP port its server listens on, once ready (undefined when it serves none). */
  port: number | undefined;
  /** Its RESP server's port, once ready (undefined when it serves none). */
  respPort: number | undefined;
  /** The node's event-loop turns ([0], the heartbeat reads it) and its processes ([1]), written by its thread in shared memory. */
  readonly beat = new Int32Array(new SharedArrayBuffer(8));
  readonly #controlPort: MessagePort;
  readonly #life = new Lifetime();
  #isReady = false;

  /** Spawns the thread of node `index` with its data-plane `links` (transferred). */
  constructor(settings: Settings, index: number, tables: Tables, links: readonly { index: number; port: MessagePort }[], hooks: RuntimeHooks, creation = 0) {
    const name = settings.nodes[index]?.name ?? `#${index}`;
    this.name = name;
    const channel = new MessageChannel();
    const init: NodeInit = { name, index, settings, tables, links, control: channel.port2, beat: this.beat, creation };
    const limits = settings.nodes[index]?.resourceLimits;
    this.worker = new Worker(nodeWorkerEntry(), {
      workerData: init,
      transferList: [channel.port2, ...links.map((l) => l.port)],
      ...(limits === undefined ? {} : { resourceLimits: limits }),
    });
    this.#controlPort = channel.port1;
    this.control = wrapControl(channel.port1);
    let lastError: Error | undefined;
    let settleReady: { resolve: () => void; reject: (e: KvError) => void } | undefined;
    this.ready = new Promise<void>((resolve, reject) => {
      settleReady = { resolve, reject };
    });
    this.ready.catch(() => undefined);
    this.worker.on('message', (msg: Lifecycle) => {
      switch (msg.type) {
        case 'ready':
          this.port = msg.port;
          this.respPort = msg.respPort;
          this.#isReady = true;
          settleReady?.resolve();
          break;
        case 'failed': {
          // ready rejects with the node's own error (KV_ERR_MODULE_LOAD...): startCluster reports it as is.
          const error = fromWire(msg.error);
          settleReady?.reject(error);
          hooks.onDeath(Errors.nodeDown(name, `it failed to start: ${error.message}`));
          break;
        }
        case 'spawn-failed':
          hooks.onMessage(msg);
          break;
        default: {
          const never: never = msg;
          throw new Error(`unknown lifecycle message ${JSON.stringify(never)}`);
        }
      }
    });
    this.worker.on('error', (e) => {
      lastError = e;
    });
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        const errorCode = (lastError as { code?: unknown } | undefined)?.code;
        const why = lastError === undefined ? `its thread exited with code ${code}` : `its thread crashed: ${typeof errorCode === 'string' ? `${errorCode}: ` : ''}${lastError.message}`;
        const reason = Errors.nodeDown(name, why);
        settleReady?.reject(reason);
        hooks.onDeath(reason);
        resolve();
      });
    });
  }

  /** The node's progress counter, read from shared memory. */
  progress(): number {
    return Atomics.load(this.beat, 0);
  }

  /** The node's processes as its thread last wrote them (each heartbeat tick). */
  processes(): number {
    return Atomics.load(this.beat, 1);
  }

  /** The control proxy as the supervisor calls it: ports given to `link` are transferred. */
  readonly #calls: ControlCalls<MessagePort> = {
    ping: () => this.control.ping(),
    setTables: (tables, version) => this.control.setTables(tables, version),
    link: (index, port) => this.control.link(index, transferPort(port)),
    unlink: (index) => this.control.unlink(index),
    setFaults: (spec) => this.control.setFaults(spec),
    stats: () => this.control.stats(),
    // comlink's Remote type loses the generic answer type.
    command: <C extends NodeCommand>(cmd: C) => this.control.command(cmd) as Promise<NodeAnswers[C['type']]>,
    stop: (reason) => this.control.stop(reason),
  };

  /** Whether the node reported ready. */
  get isReady(): boolean {
    return this.#isReady;
  }

  /** Why this incarnation ended, or undefined while it lives. */
  get ended(): KvError | undefined {
    return this.#life.reason;
  }

  /** Marks this incarnation dead: control calls reject with `reason`, the heartbeat stops. Returns false if it already was. */
  end(reason: KvError): boolean {
    if (!this.#life.end(reason)) return false;
    this.#controlPort.close();
    return true;
  }

  /** Keeps the heartbeat's stop function, so that ending stops it. */
  watchedBy(stop: () => void): void {
    this.#life.watchedBy(stop);
  }

  /** A control call that rejects at once when the node dies, and after `ms` if it never answers. */
  call<T>(what: string, ms: number, fn: (control: ControlCalls<MessagePort>) => Promise<T>): Promise<T> {
    return this.#life.call(systemScheduler, `${what} on node "${this.name}"`, ms, () => fn(this.#calls));
  }

  #pauseFlag: Int32Array | undefined;

  /** Blocks the node's thread until `resume`; resolves once it has answered (it blocks right after). */
  async pause(): Promise<void> {
    if (this.#pauseFlag !== undefined) return;
    const flag = new Int32Array(new SharedArrayBuffer(4));
    this.#pauseFlag = flag;
    await this.call('pause', 2000, () => this.control.pause(flag.buffer));
  }

  /** Lets a paused thread go on. */
  resume(): void {
    const flag = this.#pauseFlag;
    this.#pauseFlag = undefined;
    if (flag === undefined) return;
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  }

  /** Ends the thread (if it still runs) and resolves once it has exited. */
  async terminate(): Promise<void> {
    await this.worker.terminate();
    await this.exited;
  }

  /**
   * Ends the thread, waiting at most `ms` for it to exit; a thread that cannot be stopped (stuck
   * in a native call) is let go: it no longer keeps the process alive. Resolves with whether it exited.
   */
  async terminateWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    const exited = await Promise.race([this.terminate().then(() => true as const), late]);
    clearTimeout(timer);
    if (!exited) this.worker.unref();
    return exited;
  }
}
