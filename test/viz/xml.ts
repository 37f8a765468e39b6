/**
 * A small well-formedness check for the SVG, with no dependency: tags nest and close, names
 * and attributes are well formed and quoted, `&` starts an entity, `<` never appears in text,
 * one root element. Not a full XML parser (no DTD, no CDATA: the SVG uses neither).
 */

const TAG = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
const SPECIAL = /<\?xml(?:\s[^?]*)?\?>|<!--(?:(?!--)[\s\S])*-->/y;
const ATTR = /([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const BARE_AMP = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;

/** What makes `text` not well-formed XML, one message each with its offset; empty if it is well formed. */
export function xmlProblems(text: string): string[] {
  const problems: string[] = [];
  const open: string[] = [];
  let roots = 0;
  let at = 0;
  const checkText = (from: number, to: number): void => {
    const chunk = text.slice(from, to);
    if (BARE_AMP.test(chunk)) problems.push(`${from}: a bare & in text`);
    if (open.length === 0 && chunk.trim() !== '') problems.push(`${from}: text outside the root element`);
  };
  while (at < text.length) {
    const lt = text.indexOf('<', at);
    if (lt === -1) {
      checkText(at, text.length);
      break;
    }
    checkText(at, lt);
    SPECIAL.lastIndex = lt;
    if (SPECIAL.test(text)) {
      at = SPECIAL.lastIndex;
      continue;
    }
    TAG.lastIndex = lt;
    const m = TAG.exec(text);
    if (m === null) {
      problems.push(`${lt}: a < that starts no well-formed tag: ${JSON.stringify(text.slice(lt, lt + 40))}`);
      at = lt + 1;
      continue;
    }
    const [, closing, name, attrs = '', selfClosing] = m;
    const names = [...attrs.matchAll(ATTR)].map((a) => a[1]);
    if (new Set(names).size !== names.length) problems.push(`${lt}: <${name}> repeats an attribute`);
    if ([...attrs.matchAll(ATTR)].some((a) => BARE_AMP.test(a[2] ?? a[3] ?? ''))) problems.push(`${lt}: a bare & in an attribute of <${name}>`);
    if (closing === '/') {
      if (attrs !== '' || selfClosing === '/') problems.push(`${lt}: </${name}> has attributes or a /`);
      const top = open.pop();
      if (top !== name) problems.push(`${lt}: </${name}> closes ${top === undefined ? 'nothing' : `<${top}>`}`);
    } else {
      if (open.length === 0) roots++;
      if (selfClosing !== '/') open.push(name as string);
    }
    at = TAG.lastIndex;
  }
  if (open.length > 0) problems.push(`end: unclosed ${open.map((n) => `<${n}>`).join(' ')}`);
  if (roots !== 1) problems.push(`end: ${roots} root elements`);
  return problems;
}
