/**
 * Opening an `--html` page in a real headless browser (Debian's chromium, driven by
 * playwright-core) and measuring what it drew there: each chart's size and its bars, lines and
 * markers that have a size, the headings and table rows, every request the page made and every
 * console error. Without chromium a browser test is skipped, except under CI (.ci/run installs it).
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

/** The chromium to drive, if there is one. */
export const browser = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p !== undefined && p !== '' && existsSync(p));

/** A test that needs the browser: skipped (saying why) without one, except under CI, where it fails. */
export function browserTest(title: string, run: (t: ExecutionContext) => Promise<void>): void {
  if (browser === undefined && process.env['CI'] === undefined) test.skip(`${title} [skipped: no chromium (/usr/bin/chromium or CHROMIUM_PATH); apt-get install chromium]`, () => undefined);
  else
    test(title, async (t) => {
      t.truthy(browser, 'under CI chromium must be there: .ci/run installs it');
      await run(t);
    });
}

/** The little of the DOM the measuring reads (the tests compile without the DOM library; this runs in the browser). */
interface Element {
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { readonly width: number; readonly height: number };
  querySelector(selector: string): Element | null;
  querySelectorAll(selector: string): ArrayLike<Element> & Iterable<Element>;
}
declare const document: Element;

/** One chart as drawn: its kind (`data-chart`), size, the bars with a size, its lines and the points of the first, markers with a height, and its texts. */
export interface SeenChart {
  kind: string;
  width: number;
  height: number;
  bars: number;
  lines: number;
  points: number;
  markers: number;
  texts: string[];
}

/** What the page shows in the browser, measured there. */
export interface Seen {
  charts: SeenChart[];
  headings: string[];
  tableRows: number;
}

/** What opening `file` gave: what was seen, the URLs requested, and console errors, warnings and page errors. */
export interface Rendered {
  url: string;
  seen: Seen;
  requests: string[];
  problems: string[];
}

/** Opens `file` in headless chromium (1400 × 1000) and measures it. */
export async function render(file: string): Promise<Rendered> {
  const b = await chromium.launch({ executablePath: browser as string, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await b.newPage({ viewport: { width: 1400, height: 1000 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(file).href;
    await page.goto(url, { waitUntil: 'load' });
    const seen = await page.evaluate((): Seen => {
      const sized = (e: Element): boolean => e.getBoundingClientRect().height > 0 && e.getBoundingClientRect().width > 0;
      const charts = [...document.querySelectorAll('svg.chart')].map((svg) => {
        const box = svg.getBoundingClientRect();
        const line = svg.querySelector('path.line')?.getAttribute('d') ?? '';
        return {
          kind: svg.getAttribute('data-chart') ?? '',
          width: box.width,
          height: box.height,
          bars: [...svg.querySelectorAll('rect.bar')].filter(sized).length,
          lines: svg.querySelectorAll('path.line').length,
          points: (line.match(/[ML]/g) ?? []).length,
          // A dashed vertical line has no width: its height says it is drawn.
          markers: [...svg.querySelectorAll('.marker')].filter((m) => m.getBoundingClientRect().height > 0).length,
          texts: [...svg.querySelectorAll('text')].map((x) => x.textContent ?? ''),
        };
      });
      return { charts, headings: [...document.querySelectorAll('h2')].map((h) => h.textContent ?? ''), tableRows: document.querySelectorAll('table tr').length };
    });
    return { url, seen, requests, problems };
  } finally {
    await b.close();
  }
}
