/**
 * The link and monitor bookkeeping of one process, and Erlang's rules over it, as pure functions:
 * what an exit signal does to a process (ignored, trapped as a message, or fatal), which signals
 * a process sends when it ends, and what a node's death means for it (`noconnection`).
 */
import type { Pid, Ref, ServerName, Signal } from '../protocol/messages.js';
import { nodeOfDest, nodeOfPid } from './pid.js';

/** Whom a process is linked to and what it monitors and is monitored by. */
export interface LinkState {
  readonly pid: Pid;
  readonly links: ReadonlySet<Pid>;
  /** The monitors it holds, by ref: the pid or name it monitors. */
  readonly monitors: ReadonlyMap<Ref, Pid | ServerName>;
  /** The monitors others hold on it, by ref: the watcher. */
  readonly watchers: ReadonlyMap<Ref, Pid>;
}

/** What an exit signal does to the process it reaches. */
export type ExitOutcome = { readonly act: 'ignore' } | { readonly act: 'trap' } | { readonly act: 'die'; readonly reason: unknown };

/**
 * Erlang's rules: a link's signal from a process it is no longer linked to is ignored; `kill`
 * sent by `exit(pid, 'kill')` cannot be trapped and ends it as `killed`; a process that traps
 * exits gets the signal as a message; otherwise `normal` is ignored and any other reason is fatal.
 */
export function exitOutcome(signal: { readonly link: boolean; readonly reason: unknown }, linked: boolean, trapping: boolean): ExitOutcome {
  if (signal.link && !linked) return { act: 'ignore' };
  if (!signal.link && signal.reason === 'kill') return { act: 'die', reason: 'killed' };
  if (trapping) return { act: 'trap' };
  if (signal.reason === 'normal') return { act: 'ignore' };
  return { act: 'die', reason: signal.reason };
}

/** The signals a process sends as it ends with `reason`: an exit to every link, a `down` to every watcher, a demonitor of every monitor it held. */
export function exitSignals(state: LinkState, reason: unknown): Signal[] {
  const out: Signal[] = [];
  for (const to of state.links) out.push({ type: 'sig', k: 'exit', from: state.pid, to, reason, link: true });
  for (const [ref, to] of state.watchers) out.push({ type: 'sig', k: 'down', to, ref, pid: state.pid, reason });
  for (const [ref, to] of state.monitors) out.push({ type: 'sig', k: 'demonitor', from: state.pid, to, ref });
  return out;
}

/**
 * Node `node` is gone: the signals its processes can no longer send, made here (an exit with
 * reason `noconnection` from every linked process there, a `down` for every monitor on one), and
 * the refs of the monitors processes there held on this one (dropped: nobody is left to tell).
 */
export function nodeDownSignals(state: LinkState, node: string): { signals: Signal[]; watchersGone: Ref[] } {
  const signals: Signal[] = [];
  for (const from of state.links) if (nodeOfPid(from) === node) signals.push({ type: 'sig', k: 'exit', from, to: state.pid, reason: 'noconnection', link: true });
  for (const [ref, target] of state.monitors) if (nodeOfDest(target) === node) signals.push({ type: 'sig', k: 'down', to: state.pid, ref, pid: target, reason: 'noconnection' });
  const watchersGone: Ref[] = [];
  for (const [ref, by] of state.watchers) if (nodeOfPid(by) === node) watchersGone.push(ref);
  return { signals, watchersGone };
}

/**
 * A signal that cannot reach its node (unknown, or down): the answer the sender gets at once, as
 * from the far side (a link or monitor fails with `noconnection`), or undefined (dropped, as
 * Erlang drops a message to a node that is gone).
 */
export function unreachableAnswer(signal: Signal): Signal | undefined {
  if (signal.k === 'link') return { type: 'sig', k: 'exit', from: signal.to, to: signal.from, reason: 'noconnection', link: true };
  if (signal.k === 'monitor') return { type: 'sig', k: 'down', to: signal.from, ref: signal.ref, pid: signal.to, reason: 'noconnection' };
  return undefined;
}
