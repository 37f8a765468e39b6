/** `node --cpu-prof build/bench/profile-tcp.js CONNS DEPTH [local|remote]`: the kvmesh TCP server under the bench's load client (its own process, not profiled). */
import { LOCAL_BUCKET, REMOTE_BUCKET, driveTcp, kvmeshTcpTarget } from './tcp.js';

const conns = Number(process.argv[2] ?? 1);
const depth = Number(process.argv[3] ?? 16);
const bucket = process.argv[4] === 'remote' ? REMOTE_BUCKET : LOCAL_BUCKET;
const target = await kvmeshTcpTarget();
if (target !== undefined) {
  const r = await driveTcp(target.port, conns, depth, bucket, 3_000);
  console.log(`${conns}x${depth} ${bucket}: ${(r.opsPerSec / 1000).toFixed(1)}k ops/s, p50 ${r.p50.toFixed(0)} µs, p99 ${r.p99.toFixed(0)} µs, ${r.errors} errors`);
  await target.close();
}
