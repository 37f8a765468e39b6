/**
 * Network faults as data, one model for every host (design.md; issue "one node, three hosts"):
 * which directions are cut, and each direction's delay, jitter, loss and duplication. The
 * cluster keeps a `FaultSpec`, changes it with the pure functions below, and hands it to its
 * host: the simulation applies it in its seeded network, worker threads at the sending end of
 * each link. Both decide each frame with `decide`, so a fault means the same on both.
 */
import { Errors } from '../protocol/errors.js';
import type { FaultSpec, LinkSettings } from '../protocol/messages.js';

export type { FaultSpec, LinkSettings } from '../protocol/messages.js';

/** No fault. */
export const NO_FAULTS: FaultSpec = { cut: [], links: {} };

/** A perfect direction: no delay of its own, no loss. */
export const PERFECT: LinkSettings = { delayMs: 0, jitterMs: 0, drop: 0, duplicate: 0 };

const SETTINGS = ['delayMs', 'jitterMs', 'drop', 'duplicate'] as const;

/** The key of the direction `from` → `to`. */
export function direction(from: string, to: string): string {
  return `${from}→${to}`;
}

/** `spec` with every direction between the groups cut (from `a` to `b` only, when `oneWay`). Throws KV_ERR_BAD_ARGUMENT for bad groups. */
export function partition(spec: FaultSpec, a: readonly string[], b: readonly string[], oneWay = false): FaultSpec {
  for (const [name, group] of [
    ['the first group', a],
    ['the second group', b],
  ] as const) {
    if (!Array.isArray(group) || group.length === 0 || !group.every((n) => typeof n === 'string')) throw Errors.badArgument(`faults.partition: ${name} must be a non-empty array of node names, received ${JSON.stringify(group)}`);
  }
  const both = a.find((n) => b.includes(n));
  if (both !== undefined) throw Errors.badArgument(`faults.partition: node "${both}" is in both groups`);
  const cut = new Set(spec.cut);
  for (const x of a) {
    for (const y of b) {
      cut.add(direction(x, y));
      if (!oneWay) cut.add(direction(y, x));
    }
  }
  return { cut: [...cut], links: spec.links };
}

/** `spec` with the direction `from` → `to` changed by `settings` (the fields given). Throws KV_ERR_BAD_ARGUMENT naming a bad field. */
export function setLink(spec: FaultSpec, from: string, to: string, settings: Partial<LinkSettings>): FaultSpec {
  const where = `faults.link("${from}", "${to}")`;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- runtime check for JavaScript callers the types do not bind
  if (settings === null || typeof settings !== 'object') throw Errors.badArgument(`${where}: settings must be an object, received ${settings === null ? 'null' : typeof settings}`);
  for (const key of Object.keys(settings)) {
    if (!(SETTINGS as readonly string[]).includes(key)) throw Errors.badArgument(`${where}: unknown setting "${key}" (settings: ${SETTINGS.join(', ')})`);
  }
  for (const key of SETTINGS) {
    const v = settings[key];
    if (v === undefined) continue;
    const probability = key === 'drop' || key === 'duplicate';
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (probability && v > 1)) {
      throw Errors.badArgument(`${where}: ${key} must be ${probability ? 'a probability from 0 to 1' : 'a number of ms ≥ 0'}, received ${String(v)}`);
    }
  }
  const key = direction(from, to);
  return { cut: spec.cut, links: { ...spec.links, [key]: { ...spec.links[key], ...settings } } };
}

/** `spec` without partitions; link settings stay. */
export function heal(spec: FaultSpec): FaultSpec {
  return { cut: [], links: spec.links };
}

/** What happens to one frame on a direction: lost, or delivered after each of `delays` (two for a duplicate). */
export type Decision = { readonly lost: true; readonly why: 'cut' | 'drop' } | { readonly lost: false; readonly delays: readonly number[] };

/** A source of uniform numbers in [0, 1): seeded in a simulation. */
export interface Uniform {
  next(): number;
}

/** Decides one frame on a direction: cut, then loss, then delay (+ jitter) and a possible duplicate (one more delay later). */
export function decide(cut: boolean, s: LinkSettings, random: Uniform): Decision {
  if (cut) return { lost: true, why: 'cut' };
  if (s.drop > 0 && random.next() < s.drop) return { lost: true, why: 'drop' };
  const delay = s.delayMs + (s.jitterMs > 0 ? random.next() * s.jitterMs : 0);
  if (s.duplicate > 0 && random.next() < s.duplicate) return { lost: false, delays: [delay, delay + Math.max(s.delayMs, delay)] };
  return { lost: false, delays: [delay] };
}

/** The faults of each direction from `from` to the link names `to` (by link index): undefined where the direction is perfect. */
export function faultsFrom(spec: FaultSpec, from: string, to: readonly string[]): ({ cut: boolean; settings: LinkSettings } | undefined)[] {
  return to.map((name) => {
    const d = settingsOf(spec, from, name, PERFECT);
    return d.cut || d.settings !== PERFECT ? d : undefined;
  });
}

/** The direction `from` → `to` under `spec`: cut or not, and its settings over `base` (the host's default; `base` itself when unchanged). */
export function settingsOf(spec: FaultSpec, from: string, to: string, base: LinkSettings): { cut: boolean; settings: LinkSettings } {
  const key = direction(from, to);
  const changed = spec.links[key];
  return { cut: spec.cut.includes(key), settings: changed === undefined ? base : { ...base, ...changed } };
}
