/** `kvmesh ...argv` run in-process through `main`: its exit code and what it printed, a line per call. */
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/command.js';

/** Runs `kvmesh ...argv` in-process; what it printed, a line per call. */
export async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l) };
  const code = await main(argv, io);
  return { code, out: out.map((l) => `${l}\n`).join(''), err: err.map((l) => `${l}\n`).join('') };
}
