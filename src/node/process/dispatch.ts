/**
 * What a signal does when it reaches this thread (Erlang's rules): a message is delivered, a link
 * or monitor recorded (a process that is gone answers `noproc`), an exit signal ignored, trapped
 * or fatal (`core/links.ts`), a monitor's `down` becomes a DOWN message (or ends a server call),
 * output reaches the app's stream.
 */
import { Errors } from '../../protocol/errors.js';
import type { Pid, Ref, ServerName, Signal } from '../../protocol/messages.js';
import { exitOutcome } from '../../core/links.js';
import type { Proc } from './proc.js';
import type { TableHost } from './table.js';

/** What handling a signal needs of the process table. */
export interface Signalled {
  /** The live process a pid or a name registered here stands for. */
  proc(to: Pid | ServerName): Proc | undefined;
  /** The monitors others hold on processes here, by ref. */
  readonly watched: Map<Ref, Proc>;
  signal(sig: Signal): void;
  exit(p: Proc, reason: unknown): void;
  deliver(p: Proc, msg: unknown): void;
  readonly app: TableHost['app'];
}

/** Handles `sig`, for a process of this thread. */
export function handleSignal(t: Signalled, sig: Signal): void {
  switch (sig.k) {
    case 'send': {
      const p = t.proc(sig.to);
      if (p !== undefined) t.deliver(p, sig.msg);
      return;
    }
    case 'link': {
      const p = t.proc(sig.to);
      if (p === undefined) t.signal({ type: 'sig', k: 'exit', from: sig.to, to: sig.from, reason: 'noproc', link: true });
      else p.addLink(sig.from);
      return;
    }
    case 'unlink':
      t.proc(sig.to)?.dropLink(sig.from);
      return;
    case 'exit':
      exitSignal(t, sig);
      return;
    case 'monitor': {
      const p = t.proc(sig.to);
      if (p === undefined) t.signal({ type: 'sig', k: 'down', to: sig.from, ref: sig.ref, pid: sig.to, reason: 'noproc' });
      else {
        p.addWatcher(sig.ref, sig.from);
        t.watched.set(sig.ref, p);
      }
      return;
    }
    case 'demonitor': {
      t.watched.get(sig.ref)?.dropWatcher(sig.ref);
      t.watched.delete(sig.ref);
      return;
    }
    case 'down': {
      const p = t.proc(sig.to);
      const dest = p?.monitors.get(sig.ref);
      if (p === undefined || dest === undefined) return;
      p.dropMonitor(sig.ref);
      const call = p.calls.get(sig.ref);
      if (call !== undefined) call.down(sig.reason);
      else t.deliver(p, ['DOWN', sig.ref, dest, sig.reason]);
      return;
    }
    case 'reply':
      t.proc(sig.to)?.calls.get(sig.ref)?.reply(sig.value);
      return;
    case 'io': {
      const p = t.proc(sig.to);
      if (p?.external === true) t.app?.output(sig.from, sig.text);
      else if (p !== undefined) t.deliver(p, ['io', sig.from, sig.text]);
      return;
    }
    default: {
      const never: never = sig;
      throw Errors.internal(`unknown signal ${JSON.stringify(never)}`);
    }
  }
}

function exitSignal(t: Signalled, sig: Signal & { k: 'exit' }): void {
  const p = t.proc(sig.to);
  if (p === undefined) return;
  // The app's process traps exits so as not to die, but, like the guide's shell, hears nothing of a normal exit.
  const outcome = p.external && sig.reason === 'normal' ? ({ act: 'ignore' } as const) : exitOutcome(sig, p.links.has(sig.from), p.trap);
  if (sig.link) p.dropLink(sig.from);
  if (outcome.act === 'ignore') return;
  if (outcome.act === 'trap' || p.external) {
    t.deliver(p, ['EXIT', sig.from, sig.reason]);
    if (p.external) t.app?.exit(sig.from, sig.reason);
    return;
  }
  t.exit(p, outcome.reason);
}
