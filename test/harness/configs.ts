/** The configs the behaviour suite's cases start. */
import type { KvConfig } from '../../src/index.js';
import { fixture, guideTable } from '../helpers.js';

/** The guide's two nodes: a-m on foo, n-z on bar. */
export const guide: KvConfig = { routingTable: guideTable, nodes: { foo: {}, bar: {} } };

/** The guide's nodes with user modules: `Hello` (test/fixtures/hello.js) and a CPU-pool module `Crunch`. */
export const withModules: KvConfig = { ...guide, modules: { Hello: fixture('hello.js'), Crunch: { path: fixture('crunch.js'), cpu: true } } };

/** Each node decides with its own table: foo sends everything to bar, bar to baz, baz keeps it. */
export const chain: KvConfig = {
  nodes: {
    foo: { routingTable: [{ range: 'a-z', node: 'bar' }] },
    bar: { routingTable: [{ range: 'a-z', node: 'baz' }] },
    baz: { routingTable: [{ range: 'a-z', node: 'baz' }] },
  },
  modules: { Hello: fixture('hello.js') },
};

/** The guide's nodes with processes: `Pong` (test/fixtures/pong.js) on both; `Hello` only on bar, so foo is a node that does not load it. */
export const withProcesses: KvConfig = { ...guide, nodes: { foo: { modules: ['Pong'] }, bar: {} }, modules: { Pong: fixture('pong.js'), Hello: fixture('hello.js') } };

/** The guide's nodes with processes and small limits: 3 processes a node, 5 messages a mailbox. */
export const smallLimits: KvConfig = { ...withProcesses, maxProcesses: 3, maxMailbox: 5 };

/** The guide's nodes with a short request timeout, for faults. */
export const faulty: KvConfig = { routingTable: guideTable, nodes: ['foo', 'bar'], timeout: 300 };
