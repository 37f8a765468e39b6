/** `kvmesh check`: validates and lints the configuration, loads its modules, and prints the topology as text or a picture, without starting anything. */
import { dirname, isAbsolute, relative } from 'node:path';
import type { CliCommand } from './command.js';
import { configOption, inFile, parse, UsageError } from './command.js';
import { probeModules } from './probe.js';
import { topologyLines, warningLines } from './topology.js';
import { readConfig } from '../cluster/load-config.js';
import type { LoadedConfig } from '../cluster/load-config.js';
import { badConfig, join } from '../core/config.js';
import type { Settings } from '../core/config.js';
import type { LintResult } from '../core/routing.js';
import type { Issue } from '../protocol/errors.js';
import { toDot } from '../viz/dot.js';
import { toMermaid } from '../viz/mermaid.js';
import { toSvg } from '../viz/svg.js';

const pictures = new Map<string, (settings: Settings, lint: LintResult) => string>([
  ['mermaid', toMermaid],
  ['dot', toDot],
  ['svg', toSvg],
]);

/** The `check` command. */
export const check: CliCommand = {
  name: 'check',
  summary: 'validate and lint the configuration without starting anything',
  help: `usage: kvmesh check [--config FILE] [--format text|mermaid|dot|svg]

Validates kvrc.json (or FILE), lints every routing table together and imports every module
(each in a thread of its own that check then ends, 10 s each), without starting anything. Prints
the topology and the warnings; on errors (a module missing or not loading among them), every
issue with its path, and exits 1. --format mermaid, dot or svg prints a picture instead: every
node (role, port, table, bytes it owns), an arrow per forward with its bytes, loops in red, dead
ends dashed, entry-dependent owners in orange; warnings also go to stderr; a config whose tables
loop is still drawn, then refused. The SVG is standalone (no script, font or link to fetch).

options:
  -c, --config FILE   the configuration file (default: kvrc.json, searched upwards)
      --format F      text (the default), mermaid (a flowchart), dot (Graphviz) or svg
  -h, --help          this help

example:
  kvmesh check --config kvrc.json
  kvmesh check --format svg > topology.svg
  kvmesh check --format dot | dot -Tpng > topology.png`,
  async run(args, io) {
    const parsed = parse('check', args, { ...configOption, format: { type: 'string' } }, 0);
    const format = parsed.string('format') ?? 'text';
    const draw = pictures.get(format);
    if (format !== 'text' && draw === undefined) throw new UsageError('check', [`--format must be text, mermaid, dot or svg, not ${JSON.stringify(format)}`]);
    const file = parsed.string('config');
    let read;
    try {
      read = await readConfig(file);
    } catch (e) {
      throw inFile(file, e);
    }
    const { loaded, loops } = read;
    const issues = [...loops, ...(await moduleIssues(loaded))];
    if (draw !== undefined) {
      io.out(draw(loaded.settings, { errors: loops.map((i) => i.message), warnings: loaded.warnings }));
      for (const line of warningLines(loaded)) io.err(line);
    }
    if (issues.length > 0) throw inFile(file, badConfig(issues));
    if (draw !== undefined) return 0;
    io.out(`${loaded.filepath ?? 'configuration'}: valid`);
    for (const line of topologyLines(loaded)) io.out(line);
    for (const line of warningLines(loaded)) io.out(line);
    return 0;
  },
};

/** The modules that do not load, one issue each (`modules.Hello: cannot load ./hello.js: …`). */
async function moduleIssues(loaded: LoadedConfig): Promise<Issue[]> {
  const { modules } = loaded.settings;
  const reasons = await probeModules(modules.map((m) => m.path));
  const base = loaded.filepath === undefined ? process.cwd() : dirname(loaded.filepath);
  return modules.flatMap((m, i) => {
    const reason = reasons[i];
    if (reason === undefined) return [];
    // Shown as written: relative to the config file's folder.
    const rel = relative(base, m.path);
    const shown = isAbsolute(rel) ? m.path : rel.startsWith('..') ? rel : `./${rel}`;
    return [{ path: join('modules', m.name), message: `cannot load ${shown}: ${reason}` }];
  });
}
