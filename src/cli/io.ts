/** The `Io` of the binary: lines to the process's stdout and stderr, and progress only on a terminal. */
import type { Io } from './command.js';

/** The part of a process stream the CLI uses. */
export interface Stream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/**
 * Lines to `stdout` and `stderr`; `progress` (a rewritten status line) goes to `stderr`, and only
 * when it is a terminal: results piped or redirected from stdout stay clean while the person at
 * the terminal still sees the bar, and a log file of stderr never gets `\r` lines.
 */
export function processIo(stdout: Stream, stderr: Stream): Io {
  const io: Io = { out: (line) => void stdout.write(`${line}\n`), err: (line) => void stderr.write(`${line}\n`) };
  return stderr.isTTY === true ? { ...io, progress: (text) => void stderr.write(text) } : io;
}
