import test from 'ava';
import { Bucket, Registry } from '../../src/core/registry.js';

// The guide's KV.BucketTest and KV.RegistryTest, on the pure data structures.

test('bucket stores values by key', (t) => {
  const bucket = new Bucket('shopping');
  t.is(bucket.get('milk'), undefined);
  bucket.put('milk', '3');
  t.is(bucket.get('milk'), '3');
});

test('bucket delete returns the previous value', (t) => {
  const bucket = new Bucket('shopping');
  bucket.put('eggs', '12');
  t.is(bucket.delete('eggs'), '12');
  t.is(bucket.delete('eggs'), undefined);
  t.is(bucket.get('eggs'), undefined);
});

test('registry spawns buckets; create is idempotent and keeps data', (t) => {
  const registry = new Registry();
  t.is(registry.lookup('shopping'), undefined);
  const bucket = registry.create('shopping');
  t.is(registry.lookup('shopping'), bucket);
  bucket.put('milk', '1');
  t.is(registry.create('shopping'), bucket);
  t.is(registry.lookup('shopping')?.get('milk'), '1');
});

test('registry removes buckets on stop; a stale handle fails like a dead pid', (t) => {
  const registry = new Registry();
  const bucket = registry.create('shopping');
  t.true(registry.stop('shopping'));
  t.is(registry.lookup('shopping'), undefined);
  t.false(registry.stop('shopping'));
  const error = t.throws(() => bucket.put('milk', '1'));
  t.is((error as { code?: string }).code, 'KV_ERR_NO_BUCKET');
  t.is(error.message, 'bucket "shopping" was stopped');
  t.is(registry.create('shopping').get('milk'), undefined);
});
