/** The topology as a standalone SVG (src/viz/svg.ts, layout.ts): exact output, well formed, offline, and a layout where nothing overlaps. */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { toSvg } from '../../src/viz/svg.js';
import { layout } from '../../src/viz/layout.js';
import { picture } from '../../src/viz/model.js';
import { chain, deadEnd, drawn, guide, loop, readme } from './configs.js';
import { xmlProblems } from './xml.js';

const svg = (config: unknown): string => {
  const { settings, lint } = drawn(config);
  return toSvg(settings, lint);
};

/** The expected SVGs live beside the tests (test/viz/expected), where they can be opened and looked at. */
const expected = (name: string): string => readFileSync(new URL(`../../../test/viz/expected/${name}.svg`, import.meta.url), 'utf8').replace(/\n$/, '');

/** A ring of `n` nodes, each forwarding its own byte range to the next. */
const ring = (n: number): unknown => {
  const names = Array.from({ length: n }, (_, i) => `node${i}`);
  const ranges = names.map((_, i) => [i * 8, i * 8 + 7]);
  return { nodes: Object.fromEntries(names.map((name, i) => [name, { routingTable: names.map((owner, j) => ({ range: ranges[j], node: j === i ? owner : names[(i + 1) % n] })) }])) };
};

const special = { nodes: { foo: { routingTable: ['"', '&', '<', "'", '>'].map((range) => ({ range, node: 'bar' })) }, bar: { routingTable: [{ range: [0, 255], node: 'bar' }] } } };

for (const [name, config] of [
  ['guide', guide],
  ['chain', chain],
  ['loop', loop],
  ['dead-end', deadEnd],
  ['readme', readme()],
] as const) {
  test(`exact SVG of ${name} (test/viz/expected/${name}.svg)`, (t) => {
    t.is(svg(config), expected(name));
  });
}

test('every SVG is well-formed XML and needs nothing from outside: no script, link, stylesheet or font', (t) => {
  for (const config of [guide, chain, loop, deadEnd, readme(), special, ring(1), ring(8)]) {
    const out = svg(config);
    t.deepEqual(xmlProblems(out), []);
    t.true(out.startsWith('<svg xmlns="http://www.w3.org/2000/svg" '));
    t.deepEqual(out.match(/https?:/g), ['http:'], 'the only URL is the namespace');
    t.notRegex(out, /<script|<style|<image|<foreignObject|href|@import|@font-face/i);
    t.deepEqual(
      [...new Set(out.match(/url\([^)]*\)/g))].filter((u) => !/^url\(#kvmesh-(forward|loop|dead)\)$/.test(u)),
      [],
    );
  }
});

test('bytes XML would read as markup are character references', (t) => {
  const out = svg(special);
  t.true(out.includes('>&#34;, &#38;-&#39;, &#60;, &#62;</text>'), out);
  t.true(out.includes('>&#34; → bar</text>'), out);
});

test('loops are red arrows, dead ends dashed orange ones, other forwards grey; an error is red in the lint', (t) => {
  const arrows = (out: string): string[] => [...out.matchAll(/<path d="M[^"]* Q[^"]*" fill="none" stroke="(#[0-9a-f]+)"[^>]*marker-end="url\(#kvmesh-(\w+)\)"/g)].map((m) => `${m[2]} ${m[1]}`);
  t.deepEqual(arrows(svg(loop)), ['loop #dc2626', 'loop #dc2626', 'forward #475569', 'forward #475569']);
  t.deepEqual(arrows(svg(deadEnd)), ['dead #d97706']);
  t.regex(svg(deadEnd), /<path d="M[^"]* Q[^"]*" fill="none" stroke="#d97706" stroke-width="1.5" stroke-dasharray="6 4"/);
  t.true(svg(loop).includes(' fill="#dc2626">error: bytes a-m loop between nodes: bar → foo → bar</text>'));
  t.true(svg({ nodes: { solo: { routingTable: [{ range: [0, 255], node: 'solo' }] } } }).includes('>lint: no findings</text>'));
});

test('the layout: from 1 to 9 nodes no two boxes overlap and everything is inside the drawing', (t) => {
  for (let n = 1; n <= 9; n++) {
    const { settings, lint } = drawn(ring(n));
    const l = layout(picture(settings, lint));
    t.is(l.boxes.length, n);
    t.is(l.arrows.length, n === 1 ? 0 : n);
    for (const [i, a] of l.boxes.entries()) {
      t.true(a.x >= 0 && a.y >= 0 && a.x + a.width <= l.width + 1e-9 && a.y + a.height <= l.height + 1e-9, `box ${i} of ${n} inside`);
      for (const b of l.boxes.slice(i + 1)) t.false(a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height, `${a.node.name} and ${b.node.name} of ${n} overlap`);
    }
    for (const a of l.arrows) t.true(a.label.x - a.labelWidth / 2 >= 0 && a.label.x + a.labelWidth / 2 <= l.width + 1e-9, `label of ${a.forward.from} → ${a.forward.to} inside`);
  }
});

test('two nodes forwarding to each other get two bent arrows, their labels apart', (t) => {
  const { settings, lint } = drawn(guide);
  const [there, back] = layout(picture(settings, lint)).arrows;
  if (there === undefined || back === undefined) return t.fail('two arrows');
  t.true(Math.abs(there.label.y - back.label.y) >= 40, `labels at y ${there.label.y} and ${back.label.y}`);
});

test('the XML check finds what it is for', (t) => {
  t.deepEqual(xmlProblems('<a><b/></a>'), []);
  t.deepEqual(xmlProblems('<?xml version="1.0"?>\n<a x="1" y=\'2\'><!-- c --><b>t &amp; &#60; &#x3c;</b></a>\n'), []);
  t.deepEqual(xmlProblems('<a><b></a>'), ['6: </a> closes <b>', 'end: unclosed <a>']);
  t.deepEqual(xmlProblems('<a x=1></a>'), ['0: a < that starts no well-formed tag: "<a x=1></a>"', '1: text outside the root element', '7: </a> closes nothing', 'end: 0 root elements']);
  t.deepEqual(xmlProblems('<a>x & y</a>'), ['3: a bare & in text']);
  t.deepEqual(xmlProblems('<a>1 < 2</a>'), ['5: a < that starts no well-formed tag: "< 2</a>"']);
  t.deepEqual(xmlProblems('<a x="&"/>'), ['0: a bare & in an attribute of <a>']);
  t.deepEqual(xmlProblems('<a x="1" x="2"/>'), ['0: <a> repeats an attribute']);
  t.deepEqual(xmlProblems('<a/><b/>'), ['end: 2 root elements']);
  t.deepEqual(xmlProblems('text<a/>'), ['0: text outside the root element']);
});
