// Parses STS's XML answer (upstream bytes, so treated as untrusted): a deliberately tiny XML
// subset, enough for the fixed GetCallerIdentity and ErrorResponse shapes. Elements, plain
// attributes, text with the five predefined entities, an optional XML declaration; refuses
// comments, CDATA, DOCTYPE, processing instructions, namespace prefixes, numeric character
// references and mixed content. A general XML library would accept far more than we want.

export interface XmlElement {
  readonly name: string;
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  /** Text content of a leaf element (entities decoded); '' when it has children. */
  readonly text: string;
}

const MAX_DEPTH = 8;
const MAX_ELEMENTS = 64;
const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

class XmlSyntaxError extends Error {}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

class Reader {
  pos = 0;
  elements = 0;
  constructor(readonly s: string) {}

  fail(what: string): never {
    throw new XmlSyntaxError(what);
  }

  skipSpace(): void {
    while (this.pos < this.s.length && isSpace(this.s.charCodeAt(this.pos))) this.pos++;
  }

  name(): string {
    const start = this.pos;
    if (!isNameStart(this.s.charCodeAt(this.pos))) this.fail('expected a name');
    while (this.pos < this.s.length && isNameChar(this.s.charCodeAt(this.pos))) this.pos++;
    return this.s.slice(start, this.pos);
  }

  /** Character data up to `stop` (exclusive), entities decoded. */
  chars(stop: string): string {
    let out = '';
    while (this.pos < this.s.length) {
      const ch = this.s[this.pos] as string;
      if (ch === stop) return out;
      if (ch === '<' || ch === '>') this.fail('unescaped < or > in character data');
      const c = ch.charCodeAt(0);
      if (c < 0x20 && !isSpace(c)) this.fail('control character');
      if (ch === '&') {
        const semi = this.s.indexOf(';', this.pos);
        const ent = semi < 0 ? undefined : ENTITIES[this.s.slice(this.pos + 1, semi)];
        if (ent === undefined) this.fail('unknown entity');
        out += ent;
        this.pos = semi + 1;
      } else {
        out += ch;
        this.pos++;
      }
    }
    return this.fail('unexpected end');
  }

  element(depth: number): XmlElement {
    if (depth > MAX_DEPTH || ++this.elements > MAX_ELEMENTS) this.fail('too deep or too many elements');
    if (this.s[this.pos] !== '<') this.fail('expected <');
    this.pos++;
    const name = this.name();
    const attributes = new Map<string, string>();
    for (;;) {
      const before = this.pos;
      this.skipSpace();
      const ch = this.s[this.pos];
      if (ch === '>' || ch === '/') break;
      if (this.pos === before) this.fail('expected a space before an attribute');
      const attr = this.name();
      if (this.s[this.pos] !== '=') this.fail('expected =');
      this.pos++;
      const quote = this.s[this.pos];
      if (quote !== '"' && quote !== "'") this.fail('expected a quoted attribute value');
      this.pos++;
      const value = this.chars(quote);
      this.pos++;
      if (attributes.has(attr)) this.fail('repeated attribute');
      attributes.set(attr, value);
    }
    if (this.s.startsWith('/>', this.pos)) {
      this.pos += 2;
      return { name, attributes, children: [], text: '' };
    }
    if (this.s[this.pos] !== '>') this.fail('expected >');
    this.pos++;
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      text += this.chars('<');
      if (this.s.startsWith('</', this.pos)) break;
      const next = this.s[this.pos + 1];
      if (next === '!' || next === '?') this.fail('comments, CDATA, DOCTYPE and PIs are not allowed');
      children.push(this.element(depth + 1));
    }
    this.pos += 2;
    if (this.name() !== name) this.fail('mismatched end tag');
    this.skipSpace();
    if (this.s[this.pos] !== '>') this.fail('expected >');
    this.pos++;
    if (children.length > 0) {
      for (let i = 0; i < text.length; i++) if (!isSpace(text.charCodeAt(i))) this.fail('mixed content');
      text = '';
    }
    return { name, attributes, children, text };
  }
}

/** Parses `s` as one XML element (optionally after an XML declaration), or returns undefined. */
export function parseTinyXml(s: string): XmlElement | undefined {
  const r = new Reader(s);
  try {
    r.skipSpace();
    if (s.startsWith('<?xml', r.pos)) {
      const end = s.indexOf('?>', r.pos);
      if (end < 0) return undefined;
      for (let i = r.pos; i < end; i++) if (s.charCodeAt(i) < 0x20 && !isSpace(s.charCodeAt(i))) return undefined;
      r.pos = end + 2;
      r.skipSpace();
    }
    const root = r.element(0);
    r.skipSpace();
    return r.pos === s.length ? root : undefined;
  } catch (err) {
    if (err instanceof XmlSyntaxError) return undefined;
    throw err;
  }
}
