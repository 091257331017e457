// Building the pages' DOM: every value goes in as a text node or an attribute, never as markup, so
// what a caller typed (a name, an SMS body) shows as text whatever it holds.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined | null | ((e: Event) => void)>;

const append = (parent: Node, children: Child[]) => {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
};

const setAttrs = (node: Element, attrs: Attrs) => {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (typeof v === 'function') node.addEventListener(k.replace(/^on/, ''), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
};

/** An HTML element with attributes (`onclick`: a listener) and children (strings become text). */
export const el = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
};

const SVG_NS = 'http://www.w3.org/2000/svg';
/** An SVG element (charts), built the same way. */
export const svg = (tag: string, attrs: Attrs = {}, ...children: Child[]): SVGElement => {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
};

/** Replaces a container's content. */
export const mount = (parent: Element, ...children: Child[]) => {
  parent.replaceChildren();
  append(parent, children);
};

export const byId = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node as T;
};

/** A date-time in the reader's locale and zone, or a dash. */
export const when = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleString() : '—');

/** Cents as dollars: 12345 → $123.45. */
export const money = (cents: number | null | undefined): string =>
  cents === null || cents === undefined ? '—' : (cents / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' });
