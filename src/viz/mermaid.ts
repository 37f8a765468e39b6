/** The topology as a Mermaid flowchart: nodes with their tables, an arrow per forward, loops red, dead ends dotted, the lint as a note. */
import type { Settings } from '../core/config.js';
import type { LintResult } from '../core/routing.js';
import { picture, wrap } from './model.js';
import { colors } from './style.js';

/** Mermaid's entity codes for the characters its labels would otherwise read as syntax. */
function text(s: string): string {
  return s.replace(/[#"<>&|`]/g, (c) => `#${c.charCodeAt(0)};`);
}

/** A Mermaid `flowchart` of the settings and their lint (node ids n0, n1, … so any node name is safe). */
export function toMermaid(settings: Settings, lint: LintResult): string {
  const p = picture(settings, lint);
  const id = new Map(p.nodes.map((n, i) => [n.name, `n${i}`]));
  const out = ['---', `title: "${p.title}"`, '---', 'flowchart LR'];
  for (const n of p.nodes) out.push(`  ${id.get(n.name)}["${n.lines.map(text).join('<br/>')}"]`);
  const styles: string[] = [];
  p.forwards.forEach((f, i) => {
    const arrow = f.loop ? '==>' : f.deadEnd ? '-.->' : '-->';
    out.push(`  ${id.get(f.from)} ${arrow}|"${text(f.label)}"| ${id.get(f.to)}`);
    const color = f.loop ? colors.loop : f.deadEnd ? colors.warn : undefined;
    if (color !== undefined) styles.push(`  linkStyle ${i} stroke:${color},color:${color}`);
  });
  if (p.findings.length > 0)
    out.push(
      `  lint["${p.findings
        .flatMap((f) => wrap(f, 100))
        .map(text)
        .join('<br/>')}"]`,
    );
  const split = p.nodes.filter((n) => n.split).map((n) => id.get(n.name));
  if (split.length > 0) out.push(`  classDef split stroke:${colors.warn},stroke-width:2px,fill:${colors.warnFill}`, `  class ${split.join(',')} split`);
  if (p.findings.length > 0) out.push(`  classDef lint stroke:${lint.errors.length > 0 ? colors.loop : colors.warn},fill:${colors.noteFill}`, '  class lint lint');
  out.push(...styles);
  return out.join('\n');
}
