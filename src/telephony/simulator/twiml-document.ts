import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * One TwiML element, in document order: a verb (`Say`, `Gather`…) or a noun
 * (`Number`, `Body`…), its attributes (names are case-sensitive, as in TwiML),
 * its text content and its child elements.
 */
export type TwimlNode = {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: TwimlNode[];
};

/** Result of parsing a gateway answer: the verbs under `<Response>`, or why it is not TwiML. */
export type ParsedTwiml = { ok: true; verbs: TwimlNode[] } | { ok: false; reason: string };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: true,
});

type OrderedEntry = Record<string, unknown>;

const toNode = (entry: OrderedEntry): TwimlNode | undefined => {
  const name = Object.keys(entry).find((k) => k !== ':@');
  if (!name || name === '#text' || name.startsWith('?')) return undefined;
  const rawAttrs = (entry[':@'] ?? {}) as Record<string, unknown>;
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawAttrs)) attrs[k] = String(v);
  const content = (entry[name] ?? []) as OrderedEntry[];
  const texts: string[] = [];
  const children: TwimlNode[] = [];
  for (const item of content) {
    if ('#text' in item) texts.push(String(item['#text']));
    else {
      const child = toNode(item);
      if (child) children.push(child);
    }
  }
  return { name, attrs, text: texts.join(' ').trim(), children };
};

/**
 * Parses a TwiML document, keeping verb order and attributes. Anything that is
 * not well-formed XML with a `<Response>` root is reported, as Twilio would
 * report an application error.
 */
export const parseTwiml = (xml: string): ParsedTwiml => {
  const trimmed = xml.trim();
  if (!trimmed) return { ok: false, reason: 'empty response body' };
  const valid = XMLValidator.validate(trimmed);
  if (valid !== true) return { ok: false, reason: `invalid XML: ${valid.err.msg} (line ${valid.err.line})` };
  const roots = (parser.parse(trimmed) as OrderedEntry[]).map(toNode).filter((n): n is TwimlNode => !!n);
  const root = roots[0];
  if (!root || root.name !== 'Response') {
    return { ok: false, reason: `root element is <${root?.name ?? 'none'}>, not <Response>` };
  }
  return { ok: true, verbs: root.children };
};

/** Reads a boolean TwiML attribute (`"true"`/`"false"`), with a default. */
export const boolAttr = (node: TwimlNode, name: string, fallback: boolean): boolean => {
  const v = node.attrs[name];
  return v === undefined ? fallback : v.toLowerCase() === 'true';
};

/** Reads a numeric TwiML attribute, with a default for missing or malformed values. */
export const numAttr = (node: TwimlNode, name: string, fallback: number): number => {
  const v = node.attrs[name];
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) ? n : fallback;
};
