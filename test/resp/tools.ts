/** Runs Debian's redis-tools (redis-cli, redis-benchmark) as child processes; .ci/run installs them when missing. */
import { spawn } from 'node:child_process';

/** Runs `command args` with `input` on stdin; resolves with what it printed and its exit code (rejects after `deadlineMs`). */
export function run(command: string, args: readonly string[], input = '', deadlineMs = 60_000): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('latin1')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('latin1')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} ran past ${deadlineMs} ms; printed ${JSON.stringify(stdout.slice(-300))}`));
    }, deadlineMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`${command} did not start (${e.message}); install Debian's redis-tools (apt-get install redis-tools), as .ci/run does`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
    child.stdin.end(input);
  });
}
