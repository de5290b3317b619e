/**
 * A streaming XML parser for INDI: the protocol is an endless sequence of top-level elements over TCP, with no
 * document root, arriving in arbitrary chunks. `push(chunk)` returns every top-level element completed so far.
 * Handles attributes in either quote (with `>` inside values), self-closing tags, comments, processing
 * instructions, CDATA and the predefined and numeric entities. Not a validating parser: INDI needs none.
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated character data directly inside this element (INDI pads values with whitespace and newlines). */
  text: string;
}

export class XmlSyntaxError extends Error {}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (m, body: string) => {
    if (body[0] === '#') {
      const cp = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(cp) && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return ENTITIES[body] ?? m;
  });
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;

function parseAttrs(src: string, where: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  const re = /\s*([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*("([^"]*)"|'([^']*)')/gy;
  let i = 0;
  while (i < src.length) {
    if (/^\s*$/.test(src.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(src);
    if (!m) throw new XmlSyntaxError(`bad attribute syntax in ${where}: '${src.slice(i, i + 40)}'`);
    attrs[m[1]] = decodeEntities(m[3] ?? m[4] ?? '');
    i = re.lastIndex;
  }
  return attrs;
}

export class XmlStreamParser {
  private buf = '';
  private stack: XmlElement[] = [];

  /** Feeds a chunk; returns the top-level elements it completed. Throws XmlSyntaxError on malformed input. */
  push(chunk: string): XmlElement[] {
    this.buf += chunk;
    const done: XmlElement[] = [];
    let i = 0;
    const b = this.buf;
    while (i < b.length) {
      const lt = b.indexOf('<', i);
      // Character data is consumed only up to the next '<', so an entity split across chunks stays whole.
      if (lt < 0) break;
      if (lt > i) this.text(b.slice(i, lt));
      i = lt;
      // Special constructs first: their terminators differ from '>'.
      if (b.startsWith('<!--', i)) {
        const end = b.indexOf('-->', i + 4);
        if (end < 0) break;
        i = end + 3;
        continue;
      }
      if (b.startsWith('<![CDATA[', i)) {
        const end = b.indexOf(']]>', i + 9);
        if (end < 0) break;
        this.text(b.slice(i + 9, end), true);
        i = end + 3;
        continue;
      }
      if (b.startsWith('<?', i)) {
        const end = b.indexOf('?>', i + 2);
        if (end < 0) break;
        i = end + 2;
        continue;
      }
      if (i + 1 >= b.length) break;
      // Find the tag's closing '>' outside quotes.
      let j = i + 1;
      let quote = '';
      for (; j < b.length; j++) {
        const c = b[j];
        if (quote) {
          if (c === quote) quote = '';
        } else if (c === '"' || c === "'") quote = c;
        else if (c === '>') break;
      }
      if (j >= b.length) break; // incomplete tag: wait for more data
      const inner = b.slice(i + 1, j);
      i = j + 1;
      if (inner.startsWith('!')) continue; // <!DOCTYPE …>: nothing INDI sends, tolerated
      if (inner.startsWith('/')) {
        const name = inner.slice(1).trim();
        const top = this.stack.pop();
        if (!top || top.name !== name) throw new XmlSyntaxError(`unexpected </${name}>${top ? ` inside <${top.name}>` : ''}`);
        if (this.stack.length === 0) done.push(top);
        continue;
      }
      const selfClosing = inner.endsWith('/');
      const body = selfClosing ? inner.slice(0, -1) : inner;
      const m = NAME.exec(body);
      if (!m) throw new XmlSyntaxError(`bad tag '<${inner.slice(0, 40)}>'`);
      const el: XmlElement = { name: m[0], attrs: parseAttrs(body.slice(m[0].length), `<${m[0]}>`), children: [], text: '' };
      const parent = this.stack.at(-1);
      if (parent) parent.children.push(el);
      if (selfClosing) {
        if (!parent) done.push(el);
      } else this.stack.push(el);
    }
    this.buf = b.slice(i);
    return done;
  }

  private text(raw: string, cdata = false): void {
    const top = this.stack.at(-1);
    if (!top) {
      if (raw.trim() !== '') throw new XmlSyntaxError(`text outside any element: '${raw.trim().slice(0, 40)}'`);
      return;
    }
    top.text += cdata ? raw : decodeEntities(raw);
  }
}
