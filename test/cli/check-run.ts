/** Running `kvmesh check` in this process (the command itself) and as the built binary (exit codes, the real streams). */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { check } from '../../src/cli/check.js';

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));

/** `kvmesh check ...args` run in-process: its exit code or the error it threw (as the binary's main would print it), and what it wrote to each stream, one line per call. */
export async function checkIn(args: string[]): Promise<{ code: number | undefined; error: Error | undefined; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  try {
    const code = await check.run(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, error: undefined, out, err };
  } catch (e) {
    return { code: undefined, error: e as Error, out, err };
  }
}

/** `kvmesh ...args` run as the built binary, killed after 20 s. */
export function kvmesh(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}
