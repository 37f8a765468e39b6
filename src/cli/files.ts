/** Files a command writes at its end: checked before anything starts, so a long run does not fail at its last step. The traffic log file. */
import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Errors } from '../protocol/errors.js';
import type { TrafficLog } from '../protocol/data.js';

/** Throws KV_ERR_BAD_ARGUMENT (`option FILE: cannot write WHAT there: why`) if `file` could not be written. */
export function checkWritable(file: string, option: string, what: string): void {
  const path = resolve(file);
  try {
    accessSync(dirname(path), constants.W_OK);
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory() === true) throw Object.assign(new Error('it is a folder'), { code: 'EISDIR' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? `its folder ${JSON.stringify(dirname(path))} does not exist` : code === 'EISDIR' ? 'it is a folder' : (e as Error).message;
    throw Errors.badArgument(`${option} ${JSON.stringify(file)}: cannot write ${what} there: ${why}`);
  }
}

/** Writes a traffic log (one record a line, so that a large log stays readable); resolves with the line to print. */
export function writeTraffic(file: string, log: TrafficLog): string {
  const records = log.records.map((r) => JSON.stringify(r)).join(',\n');
  const head = JSON.stringify({ kvmeshTraffic: log.kvmeshTraffic, clock: log.clock, nodes: log.nodes, ...(log.dropped === undefined ? {} : { dropped: log.dropped }) }).slice(0, -1);
  writeFileSync(file, `${head},"records":[\n${records}\n]}\n`);
  const dropped = log.dropped === undefined ? '' : ` (${log.dropped} more not kept: a node keeps at most a million)`;
  return `recorded ${log.records.length} request${log.records.length === 1 ? '' : 's'} to ${file}${dropped}`;
}
