/**
 * `cluster.faults`: the network faults the embedding app or a test sets, kept as one pure spec
 * (`transport/faults.ts`) and handed to the supervisor, which has every node apply it.
 */
import { CLIENT_NAME } from '../protocol/messages.js';
import { Errors } from '../protocol/errors.js';
import { NO_FAULTS, heal, partition, setLink } from '../transport/faults.js';
import type { FaultSpec, LinkSettings } from '../transport/faults.js';

/** Network faults (`cluster.faults`), between nodes and the client (named `client`). */
export interface Faults {
  /** Cuts both directions between the groups (`oneWay`: from `a` to `b` only). */
  partition(a: readonly string[], b: readonly string[], options?: { oneWay?: boolean }): Promise<void>;
  /** One direction's delay, jitter (reordering follows from it), loss and duplication; the fields given change. */
  link(from: string, to: string, settings: Partial<LinkSettings>): Promise<void>;
  /** Removes every partition; link settings stay. */
  heal(): Promise<void>;
  /** Back to a perfect network. */
  clear(): Promise<void>;
}

/** The faults of one cluster: `apply` has every node take the new spec and resolves once they have. */
export function faultControl(nodes: readonly string[], apply: (spec: FaultSpec) => Promise<void>): Faults {
  let spec: FaultSpec = NO_FAULTS;
  const set = (next: FaultSpec): Promise<void> => {
    spec = next;
    return apply(next);
  };
  const name = (node: string): string => {
    if (node !== CLIENT_NAME && !nodes.includes(node)) throw Errors.unknownNode(node, nodes);
    return node;
  };
  const names = (group: readonly string[]): string[] => (Array.isArray(group) ? group.map(name) : (group as string[]));
  return {
    partition: (a, b, options = {}) => set(partition(spec, names(a), names(b), options.oneWay === true)),
    link: (from, to, settings) => set(setLink(spec, name(from), name(to), settings)),
    heal: () => set(heal(spec)),
    clear: () => set(NO_FAULTS),
  };
}
