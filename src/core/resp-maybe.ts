/**
 * Values that are there now or later (`Maybe`): an op this node keeps runs at once, a forwarded
 * one answers with a promise, and a command over several keys may get both. These combine them
 * without making a promise when none is needed, so a pipeline of owned keys costs no microtask. Pure.
 */

/** A value now, or its promise. */
export type Maybe<T> = T | Promise<T>;

/** `f` of the value, now if it is there, else once it comes. */
export function then<T, U>(value: Maybe<T>, f: (v: T) => Maybe<U>): Maybe<U> {
  return value instanceof Promise ? value.then(f) : f(value);
}

/** Every value, now if all are there, else once they all come. */
export function all<T>(values: readonly Maybe<T>[]): Maybe<T[]> {
  for (const v of values) if (v instanceof Promise) return Promise.all(values);
  return values as T[];
}

/** What `run` gives, with an error that `absent` recognises (thrown now or later) answered by `instead`. */
export function unless<T>(run: () => Maybe<T>, absent: (e: unknown) => boolean, instead: T): Maybe<T> {
  try {
    const v = run();
    return v instanceof Promise ? v.catch((e: unknown) => (absent(e) ? instead : Promise.reject(e))) : v;
  } catch (e) {
    if (absent(e)) return instead;
    throw e;
  }
}
