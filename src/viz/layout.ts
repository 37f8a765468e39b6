/**
 * Where the SVG puts things: node boxes sized to their text on a circle (two nodes side by
 * side), each forward a straight arrow from border to border, bent apart when two nodes
 * forward to each other. Pure arithmetic on the picture, so the output is deterministic.
 */
import type { Forward, NodeBox, Picture } from './model.js';

/** Text metrics of a monospace font: the layout assumes 0.6 em per character. */
export const FONT = 12;
export const CHAR = FONT * 0.6;
export const LINE = 16;
export const LABEL_FONT = 11;
export const LABEL_CHAR = LABEL_FONT * 0.6;
const PAD = 8;
const GAP = 80;
const BEND = 28;

/** A point. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** A node's box: its top-left corner and size. */
export interface Box {
  readonly node: NodeBox;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A forward's arrow: a quadratic curve from `start` through `control` to `end`, its label centred at `label`. */
export interface Arrow {
  readonly forward: Forward;
  readonly start: Point;
  readonly control: Point;
  readonly end: Point;
  readonly label: Point;
  readonly labelWidth: number;
}

/** The laid-out diagram, its top-left corner at (0, 0). */
export interface Layout {
  readonly boxes: readonly Box[];
  readonly arrows: readonly Arrow[];
  readonly width: number;
  readonly height: number;
}

/** Lays out the nodes and forwards of `p`. */
export function layout(p: Picture): Layout {
  const sizes = p.nodes.map((n) => ({ width: Math.max(...n.lines.map((l) => l.length)) * CHAR + 2 * PAD, height: n.lines.length * LINE + 2 * PAD }));
  const diagonal = Math.max(...sizes.map((s) => Math.hypot(s.width, s.height)));
  const n = p.nodes.length;
  // Adjacent centres a diagonal plus a gap apart, so no two boxes touch and the longest label fits between them.
  const gap = Math.max(GAP, ...p.forwards.map((f) => labelWidth(f) + 40));
  const radius = n < 2 ? 0 : (diagonal + gap) / (2 * Math.sin(Math.PI / n));
  const first = n === 2 ? Math.PI : -Math.PI / 2;
  const placed = p.nodes.map((node, i): Placed & { node: NodeBox } => {
    const angle = first + (2 * Math.PI * i) / n;
    const { width, height } = sizes[i] ?? { width: 0, height: 0 };
    return { node, c: { x: radius * Math.cos(angle), y: radius * Math.sin(angle) }, s: { width, height } };
  });
  const at = new Map(placed.map((q) => [q.node.name, q]));
  const arrows = p.forwards.map((f) => {
    const a = at.get(f.from);
    const b = at.get(f.to);
    if (a === undefined || b === undefined) throw new Error(`forward ${f.from} → ${f.to} between unknown nodes`);
    const back = p.forwards.some((g) => g.from === f.to && g.to === f.from);
    return arrow(f, a, b, back ? BEND : 0);
  });
  // Everything in one frame, then moved so the top-left corner is (0, 0).
  const raw = placed.map(({ node, c, s }) => ({ node, x: c.x - s.width / 2, y: c.y - s.height / 2, width: s.width, height: s.height }));
  const xs = [...raw.flatMap((r) => [r.x, r.x + r.width]), ...arrows.flatMap((a) => [a.label.x - a.labelWidth / 2, a.label.x + a.labelWidth / 2])];
  const ys = [...raw.flatMap((r) => [r.y, r.y + r.height]), ...arrows.flatMap((a) => [a.label.y - LINE / 2, a.label.y + LINE / 2])];
  const dx = -Math.min(...xs);
  const dy = -Math.min(...ys);
  const move = (q: Point): Point => ({ x: q.x + dx, y: q.y + dy });
  return {
    boxes: raw.map((r) => ({ ...r, x: r.x + dx, y: r.y + dy })),
    arrows: arrows.map((a) => ({ ...a, start: move(a.start), control: move(a.control), end: move(a.end), label: move(a.label) })),
    width: Math.max(...xs) + dx,
    height: Math.max(...ys) + dy,
  };
}

type Placed = { readonly c: Point; readonly s: { readonly width: number; readonly height: number } };

/** The arrow from box a to box b, bent `bend` to the right of its direction. */
function arrow(forward: Forward, a: Placed, b: Placed, bend: number): Arrow {
  const length = Math.hypot(b.c.x - a.c.x, b.c.y - a.c.y) || 1;
  const right = { x: -(b.c.y - a.c.y) / length, y: (b.c.x - a.c.x) / length };
  // A quadratic curve passes halfway to its control point: the label sits `bend` off the straight line.
  const mid = { x: (a.c.x + b.c.x) / 2, y: (a.c.y + b.c.y) / 2 };
  const control = { x: mid.x + right.x * 2 * bend, y: mid.y + right.y * 2 * bend };
  const start = border(a, control, 2);
  const end = border(b, control, 4);
  const label = { x: 0.25 * start.x + 0.5 * control.x + 0.25 * end.x, y: 0.25 * start.y + 0.5 * control.y + 0.25 * end.y };
  return { forward, start, control, end, label, labelWidth: labelWidth(forward) };
}

/** Where the ray from the box's centre towards `toward` leaves the box, `gap` beyond its border. */
function border(box: Placed, toward: Point, gap: number): Point {
  const dx = toward.x - box.c.x;
  const dy = toward.y - box.c.y;
  const length = Math.hypot(dx, dy) || 1;
  const ux = dx / length;
  const uy = dy / length;
  const t = Math.min(ux === 0 ? Infinity : box.s.width / 2 / Math.abs(ux), uy === 0 ? Infinity : box.s.height / 2 / Math.abs(uy)) + gap;
  return { x: box.c.x + ux * t, y: box.c.y + uy * t };
}

function labelWidth(f: Forward): number {
  return f.label.length * LABEL_CHAR + 8;
}
