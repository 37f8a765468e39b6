/**
 * What JSON.parse hides: a key written twice in one object, of which it keeps only the last.
 * Pure: walks the text itself, so a config file can name every duplicate with its path.
 */

/** A key that occurs more than once in one object: the path of that member (its key last), and the key. */
export interface DuplicateKey {
  readonly path: readonly (string | number)[];
  readonly key: string;
}

// An object counts its keys (a key is reported when seen the second time); an array, its elements.
type Frame = { kind: 'object'; keys: Map<string, number>; key: string | undefined; expectKey: boolean } | { kind: 'array'; index: number };

/**
 * Every key repeated within one object, at any depth, once per object and key, in text order.
 * Keys compare as JSON.parse decodes them (`"\u0066oo"` is `"foo"`). Never throws: text that is
 * not JSON yields whatever it found (parse the text first to reject it).
 */
export function duplicateKeys(text: string): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  const stack: Frame[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      const top = stack[stack.length - 1];
      if (top?.kind === 'object' && top.expectKey) {
        const key = decode(text.slice(i, end));
        const seen = (top.keys.get(key) ?? 0) + 1;
        top.keys.set(key, seen);
        if (seen === 2) found.push({ path: [...stack.slice(0, -1).map(segment), key], key });
        top.key = key;
        top.expectKey = false;
      }
      i = end;
      continue;
    }
    const top = stack[stack.length - 1];
    if (c === '{') stack.push({ kind: 'object', keys: new Map(), key: undefined, expectKey: true });
    else if (c === '[') stack.push({ kind: 'array', index: 0 });
    else if (c === '}' || c === ']') stack.pop();
    else if (c === ',' && top !== undefined) {
      if (top.kind === 'object') top.expectKey = true;
      else top.index++;
    }
    i++;
  }
  return found;
}

/** The path segment a frame adds for its current member. */
function segment(frame: Frame): string | number {
  return frame.kind === 'array' ? frame.index : (frame.key ?? '');
}

/** The index just past the string starting at `start` (an opening quote), or the end of the text. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return Math.min(i + 1, text.length);
}

/** A string literal's value as JSON.parse reads it; its raw contents if it is not valid JSON. */
function decode(literal: string): string {
  try {
    return JSON.parse(literal) as string;
  } catch {
    return literal.slice(1, -1);
  }
}

/** `value` as JSON indented by two spaces, but with every object or array that fits in `width` columns on one line (as people write config files). */
export function compactJson(value: unknown, width = 100, indent = ''): string {
  // undefined for a function or undefined value, whatever the lib's types say.
  const flat = (JSON.stringify(value, null, 1) as string | undefined)
    ?.replace(/\n\s*/g, ' ')
    .replace(/([[{]) /g, '$1')
    .replace(/ ([\]}])/g, '$1');
  if (flat === undefined || value === null || typeof value !== 'object' || indent.length + flat.length <= width) return flat ?? 'null';
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((v) => inner + compactJson(v, width, inner)).join(',\n')}\n${indent}]`;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${compactJson(v, width, inner)}`).join(',\n')}\n${indent}}`;
}
