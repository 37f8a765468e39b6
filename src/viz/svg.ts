/**
 * The topology as a standalone SVG: node boxes with their tables, labelled arrows per
 * forward, loops red, dead ends dashed, a legend and the lint. Attributes only (no CSS, no
 * script, no external font or link), so it renders offline anywhere; deterministic.
 */
import type { Settings } from '../core/config.js';
import type { LintResult } from '../core/routing.js';
import { picture, wrap } from './model.js';
import { CHAR, FONT, LABEL_FONT, LINE, layout } from './layout.js';
import type { Arrow, Box } from './layout.js';
import { num, xml } from './markup.js';
import { colors } from './style.js';

const MARGIN = 24;
const TITLE = 32;
const LEGEND = [
  { kind: 'forward', text: "forward: the bytes a node's own table sends to its next hop" },
  { kind: 'loop', text: 'loop: bytes that come back to the node (an error: the config is refused)' },
  { kind: 'dead', text: 'dead end: the next hop has no entry for these bytes' },
  { kind: 'split', text: 'owner depends on the node a request enters at' },
] as const;

function text(x: number, y: number, s: string, attrs = ''): string {
  return `<text x="${num(x)}" y="${num(y)}"${attrs}>${xml(s)}</text>`;
}

const arrowColor = { forward: colors.forward, loop: colors.loop, dead: colors.warn } as const;

function kindOf(a: Arrow): 'forward' | 'loop' | 'dead' {
  return a.forward.loop ? 'loop' : a.forward.deadEnd ? 'dead' : 'forward';
}

/** The stroke of an arrow of `kind`, with its arrowhead. */
function stroke(kind: 'forward' | 'loop' | 'dead'): string {
  const extra = kind === 'loop' ? ' stroke-width="2.5"' : kind === 'dead' ? ' stroke-width="1.5" stroke-dasharray="6 4"' : ' stroke-width="1.5"';
  return `fill="none" stroke="${arrowColor[kind]}"${extra} marker-end="url(#kvmesh-${kind})"`;
}

function boxSvg(b: Box): string[] {
  const [fill, edge, width] = b.node.split ? [colors.warnFill, colors.warn, 2] : [colors.nodeFill, colors.node, 1];
  const out = [`<rect x="${num(b.x)}" y="${num(b.y)}" width="${num(b.width)}" height="${num(b.height)}" rx="6" fill="${fill}" stroke="${edge}" stroke-width="${width}"/>`];
  b.node.lines.forEach((line, i) => out.push(text(b.x + 8, b.y + 8 + FONT + i * LINE, line, i === 0 ? ' font-weight="bold"' : '')));
  return out;
}

function arrowSvg(a: Arrow): string[] {
  const kind = kindOf(a);
  const { start: s, control: c, end: e, label: l } = a;
  return [
    `<path d="M${num(s.x)},${num(s.y)} Q${num(c.x)},${num(c.y)} ${num(e.x)},${num(e.y)}" ${stroke(kind)}/>`,
    `<rect x="${num(l.x - a.labelWidth / 2)}" y="${num(l.y - LINE / 2)}" width="${num(a.labelWidth)}" height="${LINE}" rx="3" fill="#ffffff" fill-opacity="0.9"/>`,
    text(l.x, l.y + 4, a.forward.label, ` font-size="${LABEL_FONT}" text-anchor="middle" fill="${arrowColor[kind]}"`),
  ];
}

/** An SVG document of the settings and their lint. */
export function toSvg(settings: Settings, lint: LintResult): string {
  const p = picture(settings, lint);
  const diagram = layout(p);
  // Each finding's lines, red for an error.
  const findings = [{ line: p.findings.length === 0 ? 'lint: no findings' : 'lint:', error: false }, ...p.findings.flatMap((f) => wrap(f, 96).map((line) => ({ line, error: f.startsWith('error:') })))];
  const arrows = diagram.arrows.map(arrowSvg);
  const legendWidth = 40 + Math.max(...[...LEGEND.map((l) => l.text), ...findings.map((f) => f.line)].map((t) => t.length)) * CHAR;
  const width = Math.max(diagram.width, legendWidth, p.title.length * CHAR * 1.2) + 2 * MARGIN;
  const left = (width - diagram.width) / 2;
  const legendTop = TITLE + diagram.height + 2 * MARGIN;
  const height = legendTop + (LEGEND.length + findings.length) * LINE + MARGIN;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" font-family="monospace" font-size="${FONT}" fill="${colors.node}" xml:space="preserve">`,
    `<title>${xml(p.title)}</title>`,
    '<defs>',
    ...Object.entries(arrowColor).map(([kind, color]) => `<marker id="kvmesh-${kind}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${color}"/></marker>`),
    '</defs>',
    `<rect width="${num(width)}" height="${num(height)}" fill="#ffffff"/>`,
    text(MARGIN, MARGIN + 4, p.title, ' font-size="14" font-weight="bold"'),
    `<g transform="translate(${num(left)},${TITLE + MARGIN / 2})">`,
    // Arrows under the boxes, their labels over everything.
    ...arrows.map((a) => a[0] as string),
    ...diagram.boxes.flatMap(boxSvg),
    ...arrows.flatMap((a) => a.slice(1)),
    '</g>',
    `<g transform="translate(${MARGIN},${num(legendTop)})">`,
    ...LEGEND.flatMap((l, i) => legendItem(l, i * LINE)),
    ...findings.map((f, i) => text(0, (LEGEND.length + i + 0.5) * LINE, f.line, f.error ? ` fill="${colors.loop}"` : '')),
    '</g>',
    '</svg>',
  ];
  return out.join('\n');
}

function legendItem(l: (typeof LEGEND)[number], y: number): string[] {
  const sample = l.kind === 'split' ? `<rect x="0" y="${y - 9}" width="28" height="12" rx="3" fill="${colors.warnFill}" stroke="${colors.warn}" stroke-width="2"/>` : `<path d="M0,${y - 4} L26,${y - 4}" ${stroke(l.kind)}/>`;
  return [sample, text(40, y, l.text)];
}
