/**
 * One self-contained HTML page around charts (charts.ts): a title, facts as a list of name and
 * value, then sections of text, a table and charts. Inline CSS only: no script, no font, no
 * link to anything, so the file opens offline in any browser and prints. Pure.
 */
import { xml } from './markup.js';

/** A table of text cells; numeric-looking cells are right-aligned. */
export interface PageTable {
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** A part of the page: a heading, then its paragraphs, its table and its charts (SVG strings). */
export interface PageSection {
  readonly heading: string;
  readonly text?: readonly string[];
  readonly table?: PageTable;
  readonly charts?: readonly string[];
}

/** What a page shows. */
export interface Page {
  readonly title: string;
  /** Name and value pairs under the title (what was run, where, when). */
  readonly facts?: readonly (readonly [string, string])[];
  readonly sections: readonly PageSection[];
}

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 24px; color: #1e293b; background: #f8fafc; }
h1 { font-size: 20px; margin: 0 0 12px; }
h2 { font-size: 16px; margin: 28px 0 8px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; font-size: 13px; }
dl.facts dt { color: #475569; }
dl.facts dd { margin: 0; }
p { font-size: 13px; margin: 4px 0; max-width: 80em; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; background: #ffffff; }
th, td { border: 1px solid #e2e8f0; padding: 3px 8px; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
.charts svg { border: 1px solid #e2e8f0; }
`;

const NUMERIC = /^[-+]?[\d.,]+[kM%]?$|^n\/a$/;

function table(t: PageTable): string {
  const head = `<tr>${t.head.map((h) => `<th>${xml(h)}</th>`).join('')}</tr>`;
  const rows = t.rows.map((r) => `<tr>${r.map((c) => (NUMERIC.test(c) ? `<td class="num">${xml(c)}</td>` : `<td>${xml(c)}</td>`)).join('')}</tr>`);
  return `<table>\n${[head, ...rows].join('\n')}\n</table>`;
}

function section(s: PageSection): string {
  return [`<section>`, `<h2>${xml(s.heading)}</h2>`, ...(s.text ?? []).map((p) => `<p>${xml(p)}</p>`), ...(s.table === undefined ? [] : [table(s.table)]), ...(s.charts === undefined || s.charts.length === 0 ? [] : [`<div class="charts">`, ...s.charts, `</div>`]), `</section>`].join('\n');
}

/** The page as one HTML document. */
export function htmlPage(p: Page): string {
  const facts = p.facts === undefined || p.facts.length === 0 ? [] : [`<dl class="facts">`, ...p.facts.map(([k, v]) => `<dt>${xml(k)}</dt><dd>${xml(v)}</dd>`), `</dl>`];
  return ['<!doctype html>', '<html lang="en">', '<head>', '<meta charset="utf-8">', `<title>${xml(p.title)}</title>`, `<style>${STYLE}</style>`, '</head>', '<body>', `<h1>${xml(p.title)}</h1>`, ...facts, ...p.sections.map(section), '</body>', '</html>', ''].join('\n');
}
