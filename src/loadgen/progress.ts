/** What `kvmesh bench` shows a person at a terminal while it works: a status line per stage, bars redrawn in place. */
import type { Io } from '../cli/command.js';
import { progressBar } from './report.js';

/** A bar on `io.progress` (nothing where there is none); redrawn only when its text changes. */
export class Bar {
  readonly #io: Io;
  readonly #label: string;
  #shown = '';

  constructor(io: Io, label: string) {
    this.#io = io;
    this.#label = label;
    this.update(0);
  }

  /** Shows `fraction` (0 to 1) done. */
  update(fraction: number): void {
    const text = progressBar(this.#label, fraction);
    if (text === this.#shown) return;
    this.#shown = text;
    this.#io.progress?.(text);
  }

  /** Shows 100 % and ends the line, so it stays on screen. */
  done(): void {
    this.update(1);
    this.end();
  }

  /** Ends the line where the bar stands (a stage that failed). */
  end(): void {
    this.#io.progress?.('\n');
  }
}

/** One finished status line (`starting 3 nodes`), if `io` shows progress. */
export function status(io: Io, text: string): void {
  io.progress?.(`\r${text}\n`);
}

/** Runs `fn` with a bar filled by the time elapsed out of `durationMs`, if `io` shows progress. */
export async function timed<T>(io: Io, label: string, durationMs: number, fn: () => Promise<T>): Promise<T> {
  if (io.progress === undefined) return fn();
  const bar = new Bar(io, label);
  const t0 = performance.now();
  const timer = setInterval(() => bar.update((performance.now() - t0) / durationMs), 200);
  try {
    const result = await fn();
    clearInterval(timer);
    bar.done();
    return result;
  } catch (e) {
    clearInterval(timer);
    bar.end();
    throw e;
  }
}
