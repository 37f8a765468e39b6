/** `node --cpu-prof build/bench/profile-tcp.js CONNS DEPTH`: the kvmesh TCP server under the bench's TCP driver, to profile. */
import { driveTcp, kvmeshTcpTarget } from './tcp.js';

const conns = Number(process.argv[2] ?? 1);
const depth = Number(process.argv[3] ?? 16);
const target = await kvmeshTcpTarget('tcp');
if (target !== undefined) {
  const r = await driveTcp(target.port, conns, depth, 'tcp', 3_000);
  console.log(`${conns}x${depth}: ${(r.opsPerSec / 1000).toFixed(1)}k ops/s, p99 ${r.p99.toFixed(0)} µs`);
  await target.close();
}
