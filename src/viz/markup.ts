/** What every SVG and HTML picture writes with: XML-escaped text and short, stable numbers. */

/** Text and attribute values escaped for XML (and so for HTML). */
export function xml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A number with at most one decimal, so the output is short and stable. */
export function num(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** A figure for people: 3 significant figures, k and M for thousands and millions (`1.5k`, `12.3M`, `0.25`). */
export function short(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  const a = Math.abs(x);
  if (a >= 1e15) return x.toExponential(2);
  if (a >= 1e6) return `${trim((x / 1e6).toPrecision(3))}M`;
  if (a >= 1e4) return `${trim((x / 1e3).toPrecision(3))}k`;
  if (a >= 100 || a === 0) return String(Math.round(x));
  return trim(x.toPrecision(3));
}

function trim(s: string): string {
  return s.includes('.') && !s.includes('e') ? s.replace(/\.?0+$/, '') : s;
}
