#!/usr/bin/env node
/**
 * The `kvmesh` binary: runs `main` (src/cli/main.ts) on the process's arguments and streams.
 * User errors print one clear message and exit non-zero, without a stack trace.
 */
import { main } from './cli/main.js';
import { processIo } from './cli/io.js';

main(process.argv.slice(2), processIo(process.stdout, process.stderr)).then(
  (code) => {
    // No forced exit: every command closes what it opened, and the process ends by itself.
    process.exitCode = code;
  },
  (e: unknown) => {
    // Not a user error: a bug, so the stack trace helps.
    console.error(e);
    process.exitCode = 1;
  },
);
