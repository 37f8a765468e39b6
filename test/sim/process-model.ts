/**
 * A model of processes, mailboxes and links (Erlang's rules, written out plainly) for the
 * property test of random spawn/send/link/exit/kill sequences: the real cluster must end every
 * step in the state this model reaches. A process here only counts its mailbox; the app's
 * mailbox keeps its EXIT messages, since the app's process traps exits.
 */

/** The app's process in links. */
export const APP = '#PID<client.0.0>';

interface MProc {
  readonly node: string;
  readonly trap: boolean;
  readonly links: Set<string>;
  mailbox: number;
}

/** What the cluster's processes must be after each step. */
export class ProcessModel {
  readonly procs = new Map<string, MProc>();
  /** The app's EXIT messages since the last `takeAppMailbox`. */
  #app: unknown[] = [];
  readonly #appLinks = new Set<string>();

  spawned(pid: string, node: string, trap: boolean, linkApp: boolean): void {
    this.procs.set(pid, { node, trap, links: new Set(linkApp ? [APP] : []), mailbox: 0 });
    if (linkApp) this.#appLinks.add(pid);
  }

  send(pid: string): void {
    const p = this.procs.get(pid);
    if (p !== undefined) p.mailbox++;
  }

  /** `a` links to `b` (a pid, or APP). */
  link(a: string, b: string): void {
    const p = this.procs.get(a);
    if (p === undefined || a === b || p.links.has(b)) return;
    p.links.add(b);
    if (b === APP) this.#appLinks.add(a);
    else if (this.procs.has(b)) this.procs.get(b)?.links.add(a);
    else this.#linkExit(b, a, 'noproc');
  }

  unlink(a: string, b: string): void {
    const p = this.procs.get(a);
    if (p === undefined || !p.links.delete(b)) return;
    if (b === APP) this.#appLinks.delete(a);
    else this.procs.get(b)?.links.delete(a);
  }

  /** The app links to `pid`. */
  appLink(pid: string): void {
    if (this.#appLinks.has(pid)) return;
    const p = this.procs.get(pid);
    // As in Erlang, a link to a process that is gone is not made: each try hears noproc.
    if (p === undefined) return this.#appExit(pid, 'noproc');
    this.#appLinks.add(pid);
    p.links.add(APP);
  }

  appUnlink(pid: string): void {
    if (!this.#appLinks.delete(pid)) return;
    this.procs.get(pid)?.links.delete(APP);
  }

  /** `exit(pid, reason)` sent to `to` (by the app or a process). */
  signal(to: string, reason: string): void {
    const p = this.procs.get(to);
    if (p === undefined) return;
    if (reason === 'kill') this.die(to, 'killed');
    else if (p.trap) p.mailbox++;
    else if (reason !== 'normal') this.die(to, reason);
  }

  /** Process `pid` ends with `reason`: every linked process hears it. */
  die(pid: string, reason: unknown): void {
    const p = this.procs.get(pid);
    if (p === undefined) return;
    this.procs.delete(pid);
    for (const l of p.links) {
      if (l === APP) {
        this.#appLinks.delete(pid);
        if (reason !== 'normal') this.#appExit(pid, reason);
      } else this.#linkExit(pid, l, reason);
    }
  }

  /** Node `node` dies: its processes are gone, and every link to them fires with `noconnection`. */
  killNode(node: string): void {
    const dead = [...this.procs].filter(([, p]) => p.node === node);
    for (const [pid] of dead) this.procs.delete(pid);
    for (const [pid, p] of dead) {
      for (const l of p.links) {
        if (l === APP) {
          this.#appLinks.delete(pid);
          this.#appExit(pid, 'noconnection');
        } else this.#linkExit(pid, l, 'noconnection');
      }
    }
  }

  /** The EXIT messages the app got since the last call. */
  takeAppMailbox(): unknown[] {
    return this.#app.splice(0);
  }

  /** Each live process of `node`: mailbox length and links, as `cluster.processes(node)` shows them. */
  view(node: string): Record<string, { mailbox: number; links: string[] }> {
    const out: Record<string, { mailbox: number; links: string[] }> = {};
    for (const [pid, p] of this.procs) if (p.node === node) out[pid] = { mailbox: p.mailbox, links: [...p.links].sort() };
    return out;
  }

  #linkExit(from: string, to: string, reason: unknown): void {
    const p = this.procs.get(to);
    if (p === undefined || !p.links.delete(from)) return;
    if (p.trap) p.mailbox++;
    else if (reason !== 'normal') this.die(to, reason);
  }

  #appExit(pid: string, reason: unknown): void {
    this.#app.push(['EXIT', pid, reason]);
  }
}
