import test from 'ava';
import { LineReader } from '../../src/server/lines.js';
import type { Framed } from '../../src/server/lines.js';

function drain(r: LineReader): Framed[] {
  const out: Framed[] = [];
  for (let f = r.next(); f !== undefined; f = r.next()) out.push(f);
  return out;
}
const line = (s: string): Framed => ({ kind: 'line', line: s });
const tooLong: Framed = { kind: 'too-long' };

test('lines end at \\n; \\r\\n leaves the \\r for the tokenizer; a lone \\r does not end a line', (t) => {
  const r = new LineReader(100);
  r.push(Buffer.from('a\r\nb\nc\rd\r'));
  t.deepEqual(drain(r), [line('a\r'), line('b')]);
  r.push(Buffer.from('\n'));
  t.deepEqual(drain(r), [line('c\rd\r')]);
});

test('a partial line is kept across any number of reads', (t) => {
  const r = new LineReader(100);
  for (const ch of 'CREATE split\r') {
    r.push(Buffer.from(ch));
    t.deepEqual(drain(r), []);
  }
  r.push(Buffer.from('\nGET'));
  t.deepEqual(drain(r), [line('CREATE split\r')]);
  t.is(r.partialLength, 3);
});

test('bytes are kept verbatim (latin1 byte strings)', (t) => {
  const r = new LineReader(100);
  r.push(Buffer.from([0xff, 0x00, 0x80]));
  r.push(Buffer.from([0xfe, 0x0a]));
  t.deepEqual(drain(r), [line('\xff\x00\x80\xfe')]);
});

test('a line of exactly the maximum is served, one byte more is too long, with \\n or \\r\\n', (t) => {
  const r = new LineReader(16);
  const max = 'x'.repeat(16);
  r.push(Buffer.from(`${max}\n${max}\r\n${max}x\n${max}x\r\nok\n`));
  t.deepEqual(drain(r), [line(max), line(`${max}\r`), tooLong, tooLong, line('ok')]);
});

test('an over-long line is reported once, as soon as it passes the maximum, and discarded up to its \\n', (t) => {
  const r = new LineReader(16);
  r.push(Buffer.from('x'.repeat(16)));
  t.deepEqual(drain(r), [], 'a line of the maximum is still fine');
  r.push(Buffer.from('y'));
  t.deepEqual(drain(r), [tooLong]);
  t.is(r.partialLength, 0, 'nothing of it is held');
  for (let i = 0; i < 1000; i++) r.push(Buffer.from('z'.repeat(100)));
  t.deepEqual(drain(r), []);
  t.is(r.partialLength, 0);
  r.push(Buffer.from('zz\nGET a b\n'));
  t.deepEqual(drain(r), [line('GET a b')]);
});

test('an over-long line whose 17th byte is \\r and then not \\n is too long', (t) => {
  const r = new LineReader(16);
  r.push(Buffer.from(`${'x'.repeat(16)}\r`));
  t.deepEqual(drain(r), []);
  r.push(Buffer.from('x\nok\n'));
  t.deepEqual(drain(r), [tooLong, line('ok')]);
});

test('clear drops the partial line', (t) => {
  const r = new LineReader(100);
  r.push(Buffer.from('PUT a k'));
  t.deepEqual(drain(r), []);
  r.clear();
  r.push(Buffer.from(' v\n'));
  t.deepEqual(drain(r), [line(' v')]);
});
