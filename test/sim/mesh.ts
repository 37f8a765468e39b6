/**
 * A small routed workload on the simulation host, for the determinism and speed tests: nodes in
 * a full mesh, a client that sends one request per tick to a random node with a deadline, the
 * node owning the key (key % nodes) replying straight to the client, and a fault owner that cuts
 * a random node off every second and heals it again.
 */
import { Random } from '../../src/sim/random.js';
import { SimNetwork } from '../../src/sim/network.js';
import { SimWorld } from '../../src/sim/world.js';
import type { Frame, Request } from '../../src/protocol/messages.js';
import type { Link } from '../../src/transport/link.js';

export interface MeshRun {
  world: SimWorld;
  net: SimNetwork;
  replies: number;
  timeouts: number;
  sent: number;
}

/** Runs `durationMs` of virtual time of the mesh workload; faults on unless `faults: false`. */
export async function runMesh(options: { seed: number; nodes: number; perMs: number; durationMs: number; faults?: boolean; keepTrace?: boolean }): Promise<MeshRun> {
  const { seed, nodes, perMs, durationMs, faults = true, keepTrace = true } = options;
  const root = new Random(seed);
  const world = new SimWorld({ keepTrace });
  const net = new SimNetwork(world, root.fork('network'));
  const workload = root.fork('workload');
  const chaos = root.fork('faults');
  const names = Array.from({ length: nodes }, (_, i) => `n${i}`);
  const run: MeshRun = { world, net, replies: 0, timeouts: 0, sent: 0 };

  const toClient: Link[] = [];
  const fromClient: Link[] = [];
  const mesh: Link[][] = names.map(() => []);
  for (let i = 0; i < nodes; i++) {
    const [c, n] = net.channel('client', names[i] as string);
    fromClient.push(c);
    toClient.push(n);
    for (let j = 0; j < i; j++) {
      const [a, b] = net.channel(names[i] as string, names[j] as string);
      (mesh[i] as Link[])[j] = a;
      (mesh[j] as Link[])[i] = b;
    }
  }
  if (faults) {
    for (const a of ['client', ...names]) for (const b of ['client', ...names]) if (a !== b) net.link(a, b, { jitterMs: 0.05, drop: 0.01, duplicate: 0.01 });
  }

  for (let i = 0; i < nodes; i++) {
    const serve = (frame: Frame): void => {
      if (typeof frame === 'string') return;
      for (const m of frame) {
        if (typeof m === 'string' || m.type !== 'req' || m.op !== 'get') continue;
        const owner = Number(m.key) % nodes;
        if (owner === i) (toClient[i] as Link).post([{ type: 'ok', id: m.id, value: { node: i, hops: m.hops } }]);
        else (mesh[i]?.[owner] as Link).post([{ ...m, hops: m.hops + 1 }]);
      }
    };
    (toClient[i] as Link).onFrame(serve);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a node has no link to itself: a hole at its own index
    for (const link of mesh[i] ?? []) link?.onFrame(serve);
  }

  const client = world.scheduler('client');
  const pending = new Map<number, () => void>();
  for (const link of fromClient) {
    link.onFrame((frame) => {
      if (typeof frame === 'string') return;
      for (const m of frame) {
        if (typeof m === 'string' || m.type !== 'ok') continue;
        const cancel = pending.get(m.id);
        if (cancel === undefined) continue; // a duplicate, or a reply after its deadline
        pending.delete(m.id);
        cancel();
        run.replies++;
      }
    });
  }
  let id = 0;
  const stopLoad = client.every(1, () => {
    for (let k = 0; k < perMs; k++) {
      const rid = ++id;
      const req: Request = { type: 'req', id: rid, from: 0, hops: 0, op: 'get', bucket: 'b', key: String(workload.int(1000)) };
      (fromClient[workload.int(nodes)] as Link).post([req]);
      run.sent++;
      pending.set(
        rid,
        client.after(20, () => {
          pending.delete(rid);
          run.timeouts++;
        }),
      );
    }
  });
  let stopFaults = (): void => {};
  if (faults) {
    stopFaults = world.scheduler('faults').every(1000, () => {
      net.heal();
      if (chaos.chance(0.5)) {
        const cut = names[chaos.int(nodes)] as string;
        net.partition(
          [cut],
          names.filter((n) => n !== cut),
        );
      }
    });
  }
  await world.sleep(durationMs);
  stopLoad();
  stopFaults();
  await world.sleep(100); // let the last deadlines settle
  return run;
}
