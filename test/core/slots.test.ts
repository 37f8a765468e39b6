import test from 'ava';
import fc from 'fast-check';
import { SLOTS, crc16, keySlot } from '../../src/core/slots.js';

test('CRC16 is XMODEM: "123456789" → 0x31C3 (the Redis Cluster spec\'s check value)', (t) => {
  t.is(crc16('123456789'), 0x31c3);
  t.is(crc16(''), 0);
});

test('key slots match Redis CLUSTER KEYSLOT', (t) => {
  // Values as Redis answers them (the cluster spec and redis-cli CLUSTER KEYSLOT).
  t.is(keySlot('123456789'), 12739);
  t.is(keySlot('foo'), 12182);
  t.is(keySlot('bar'), 5061);
  t.is(keySlot('hello'), 866);
  t.is(keySlot(''), 0);
});

test('hash tags: the first {…} when not empty decides the slot', (t) => {
  t.is(keySlot('{user1000}.following'), keySlot('user1000'));
  t.is(keySlot('{user1000}.followers'), keySlot('{user1000}.following'));
  t.is(keySlot('foo{}{bar}'), crc16('foo{}{bar}') & (SLOTS - 1), 'an empty tag: the whole key');
  t.not(keySlot('foo{}{bar}'), keySlot('bar'));
  t.is(keySlot('foo{{bar}}zap'), keySlot('{bar'));
  t.is(keySlot('foo{bar}{zap}'), keySlot('bar'));
  t.is(keySlot('{unclosed'), crc16('{unclosed') & (SLOTS - 1));
});

test('every key has a slot in range', (t) => {
  fc.assert(
    fc.property(fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((n) => String.fromCharCode(n)) }), (k) => {
      const s = keySlot(k);
      return Number.isInteger(s) && s >= 0 && s < SLOTS;
    }),
  );
  t.pass();
});
