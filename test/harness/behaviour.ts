/**
 * The behaviour suite every way of hosting nodes must pass (design.md, style rule 6): the same
 * cases run against nodes in the test's own thread, a worker-thread cluster and a simulation.
 * A case that needs what a host lacks (a supervisor, faults) is registered skipped there, with
 * the reason in its title, so every host lists the same cases.
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import type { KvConfig } from '../../src/index.js';
import type { ClusterUnderTest, Host } from './host.js';
import type { Body, Harness, Need, Suite } from './suite.js';
import { dataCases } from './cases-data.js';
import { routingCases } from './cases-routing.js';
import { taskCases } from './cases-tasks.js';
import { guideCases } from './cases-guide.js';
import { faultCases } from './cases-faults.js';
import { processCases } from './cases-processes.js';
import { linkCases } from './cases-links.js';

const lacking: Record<Need, string> = {
  supervision: 'this host has no supervisor (kill, restart, status, pause, a node’s own table)',
  faults: 'this host has no network faults',
};

/** Registers the whole suite against `host`, titled `label › …`. */
export function behaviourSuite(host: Host): void {
  const turn = turns(host.concurrency ?? Infinity);
  const run = async <C extends ClusterUnderTest>(t: ExecutionContext, config: KvConfig, body: Body<C>): Promise<void> => {
    t.teardown(await turn());
    let output = '';
    const started = await host.start(config, { write: (text: string) => (output += text) });
    t.teardown(() => started.cluster.close());
    const harness: Harness = {
      capabilities: host.capabilities,
      virtualTime: host.virtualTime,
      now: () => started.now(),
      settle: (promise, ms, what) => started.settle(promise, ms, what),
      output: () => output,
      start: async (more) => {
        const other = await host.start(more, { write: () => true });
        t.teardown(() => other.cluster.close());
        return other.cluster;
      },
    };
    await body(started.cluster as C, t, harness);
  };
  const suite: Suite = {
    test: (title, config, body) => test(`${host.label} › ${title}`, (t) => run(t, config, body)),
    testWith(needs, title, config, body) {
      const missing = needs.filter((need) => !host.capabilities[need]);
      if (missing.length === 0) test(`${host.label} › ${title}`, (t) => run(t, config, body));
      else test.skip(`${host.label} › ${title} [skipped: ${missing.map((need) => lacking[need]).join('; ')}]`, () => undefined);
    },
  };
  for (const cases of [dataCases, routingCases, taskCases, guideCases, faultCases, processCases, linkCases]) cases(suite);
}

/** A queue of turns: at most `n` holders at once; a turn is ended by calling what it resolves with. */
function turns(n: number): () => Promise<() => void> {
  let active = 0;
  const waiting: (() => void)[] = [];
  // An ending turn passes its place straight to the next in line.
  const end = (): void => {
    const next = waiting.shift();
    if (next === undefined) active--;
    else next();
  };
  return async () => {
    if (active < n) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    return end;
  };
}
