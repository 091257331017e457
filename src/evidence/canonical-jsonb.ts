import { canonicalJson } from './canonical-json.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * Reads Postgres's jsonb text output, which is regular: `", "` and `": "`
 * between items and nothing else outside strings, strings escaped exactly as
 * JSON.stringify escapes them (jsonb holds no lone surrogates), keys ordered
 * by length then bytes. Returns null on anything else, so the caller can
 * take the general path.
 */
class JsonbText {
  private pos = 0;

  constructor(private readonly text: string) {}

  canonical(): string | null {
    const out = this.value();
    return out !== null && this.pos === this.text.length ? out : null;
  }

  private value(): string | null {
    const t = this.text;
    const c = t.charCodeAt(this.pos);
    if (c === QUOTE) return this.string();
    if (c === 0x7b /* { */) return this.object();
    if (c === 0x5b /* [ */) return this.array();
    if (c === 0x74 /* t */) return this.word('true');
    if (c === 0x66 /* f */) return this.word('false');
    if (c === 0x6e /* n */) return this.word('null');
    return this.number();
  }

  private word(w: string): string | null {
    if (!this.text.startsWith(w, this.pos)) return null;
    this.pos += w.length;
    return w;
  }

  /** A string token as written, quotes included: already its canonical form. */
  private string(): string | null {
    const t = this.text;
    const start = this.pos;
    let end = t.indexOf('"', start + 1);
    for (;;) {
      if (end === -1) return null;
      let slashes = 0;
      while (t.charCodeAt(end - 1 - slashes) === BACKSLASH) slashes += 1;
      if (slashes % 2 === 0) break;
      end = t.indexOf('"', end + 1);
    }
    this.pos = end + 1;
    return t.slice(start, end + 1);
  }

  private number(): string | null {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (m === null) return null;
    this.pos += m[0].length;
    // why: Number() of JSON number text is JSON.parse's value; its refusal (1e400) must read the same.
    return canonicalJson(Number(m[0]));
  }

  /** Consumes `, ` and returns true, or consumes `close` and returns false; null if neither. */
  private next(close: number): boolean | null {
    const t = this.text;
    const c = t.charCodeAt(this.pos);
    if (c === close) {
      this.pos += 1;
      return false;
    }
    if (c !== 0x2c || t.charCodeAt(this.pos + 1) !== 0x20) return null;
    this.pos += 2;
    return true;
  }

  private array(): string | null {
    this.pos += 1;
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos += 1;
      return '[]';
    }
    let out = '[';
    for (;;) {
      const v = this.value();
      if (v === null) return null;
      out += v;
      const more = this.next(0x5d);
      if (more === null) return null;
      if (!more) return `${out}]`;
      out += ',';
    }
  }

  private object(): string | null {
    const t = this.text;
    this.pos += 1;
    if (t.charCodeAt(this.pos) === 0x7d) {
      this.pos += 1;
      return '{}';
    }
    // why: members as [key without quotes, value, ...], sorted by insertion on UTF-16 code units as RFC 8785 orders them.
    const members: string[] = [];
    for (;;) {
      if (t.charCodeAt(this.pos) !== QUOTE) return null;
      const k = this.string();
      // why: an escape in a key would make its text order differ from its value's order; rare, left to the general path.
      if (k === null || k.includes('\\')) return null;
      if (t.charCodeAt(this.pos) !== 0x3a || t.charCodeAt(this.pos + 1) !== 0x20) return null;
      this.pos += 2;
      const v = this.value();
      if (v === null) return null;
      const key = k.slice(1, -1);
      let at = members.length;
      while (at > 0 && members[at - 2]! > key) at -= 2;
      members.splice(at, 0, key, v);
      const more = this.next(0x7d);
      if (more === null) return null;
      if (!more) break;
    }
    let out = '{';
    for (let i = 0; i < members.length; i += 2) out += `${i > 0 ? ',"' : '"'}${members[i]}":${members[i + 1]}`;
    return `${out}}`;
  }
}

/** The fast path alone: null where canonicalJsonb falls back to parsing (tests check it is rare). */
export const canonicalJsonbText = (text: string): string | null => new JsonbText(text).canonical();

/**
 * canonicalJson(JSON.parse(text)) for `text` as Postgres prints a jsonb
 * value, without building the value: verification canonicalizes every stored
 * payload, and parsing them into objects only to sort their keys cost more
 * than the hashing. Text of any other shape takes the general path.
 * canonical-jsonb.test.ts pins it to the general path on Postgres's output.
 */
export const canonicalJsonb = (text: string): string =>
  canonicalJsonbText(text) ?? canonicalJson(JSON.parse(text) as unknown);
