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

/** Two nodes on hash slots, halves each. */
export const slots2: KvConfig = {
  routingTable: {
    slots: [
      { slots: '0-8191', node: 'foo' },
      { slots: '8192-16383', node: 'bar' },
    ],
  },
  nodes: ['foo', 'bar'],
};

/** `slots2` with a quarter of the slots swapped over: bar takes 0-4095, foo the rest (a reshard's target). */
export const slotsSwapped: KvConfig = {
  routingTable: {
    slots: [
      { slots: '0-4095', node: 'bar' },
      { slots: '4096-16383', node: 'foo' },
    ],
  },
  nodes: ['foo', 'bar'],
};
