/** The topology as a Graphviz digraph: nodes with their tables, an edge per forward, loops red, dead ends dashed, the lint as a note. */
import type { Settings } from '../core/config.js';
import type { LintResult } from '../core/routing.js';
import { picture, wrap } from './model.js';
import { colors } from './style.js';

/** A DOT string: quoted, with `\` and `"` escaped (node names and byte labels may hold either). */
function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Lines as one left-justified DOT label (`\l` ends each line). */
function left(lines: readonly string[]): string {
  return `"${lines.map((l) => `${quote(l).slice(1, -1)}\\l`).join('')}"`;
}

/** A Graphviz `digraph` of the settings and their lint; the note's id `(lint)` cannot be a node name. */
export function toDot(settings: Settings, lint: LintResult): string {
  const p = picture(settings, lint);
  const out = [
    'digraph kvmesh {',
    `  label=${quote(p.title)};`,
    '  labelloc=t;',
    '  fontname="monospace";',
    '  rankdir=LR;',
    `  node [shape=box, fontname="monospace", fontsize=11, color=${quote(colors.node)}, style=filled, fillcolor=${quote(colors.nodeFill)}];`,
    `  edge [fontname="monospace", fontsize=10, color=${quote(colors.forward)}];`,
  ];
  for (const n of p.nodes) {
    const split = n.split ? `, color=${quote(colors.warn)}, fillcolor=${quote(colors.warnFill)}, penwidth=2` : '';
    out.push(`  ${quote(n.name)} [label=${left(n.lines)}${split}];`);
  }
  for (const f of p.forwards) {
    const style = f.loop ? `, color=${quote(colors.loop)}, fontcolor=${quote(colors.loop)}, penwidth=2` : f.deadEnd ? `, color=${quote(colors.warn)}, fontcolor=${quote(colors.warn)}, style=dashed` : '';
    out.push(`  ${quote(f.from)} -> ${quote(f.to)} [label=${quote(f.label)}${style}];`);
  }
  if (p.findings.length > 0) {
    const color = lint.errors.length > 0 ? colors.loop : colors.warn;
    out.push(`  "(lint)" [shape=note, label=${left(p.findings.flatMap((f) => wrap(f, 100)))}, color=${quote(color)}, fillcolor=${quote(colors.noteFill)}];`);
  }
  out.push('}');
  return out.join('\n');
}
