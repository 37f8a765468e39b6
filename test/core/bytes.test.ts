import test from 'ava';
import { fromBytes, quoteBytes, toBytes } from '../../src/core/bytes.js';

test('ASCII is its own byte string', (t) => {
  t.is(toBytes('shopping'), 'shopping');
  t.is(fromBytes('shopping'), 'shopping');
});

test('UTF-8 strings round-trip through bytes', (t) => {
  const bytes = toBytes('été ☃ 🐱');
  t.is(bytes.charCodeAt(0), 0xc3);
  t.is(bytes.length, Buffer.byteLength('été ☃ 🐱'));
  t.is(fromBytes(bytes), 'été ☃ 🐱');
});

test('quoteBytes shows printable UTF-8 and escapes quotes, backslashes, controls and invalid bytes', (t) => {
  t.is(quoteBytes('shopping'), '"shopping"');
  t.is(quoteBytes(toBytes('été')), '"été"');
  t.is(quoteBytes('a"b\\c'), '"a\\x22b\\x5cc"');
  t.is(quoteBytes('n\x00ul\r\n'), '"n\\x00ul\\x0d\\x0a"');
  t.is(quoteBytes('\xff\xfe\x80ok'), '"\\xff\\xfe\\x80ok"');
  t.is(quoteBytes('\xc3'), '"\\xc3"');
  t.is(quoteBytes('\xed\xa0\x80'), '"\\xed\\xa0\\x80"');
  t.is(quoteBytes('\xc2\x85'), '"\\xc2\\x85"');
});
