/** Text made safe for HTML element content and quoted attribute values. */
export const escapeHtml = (s: unknown): string =>
  String(s ?? '').replace(/[&<>"'`=]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Markup that is already safe (built by `html`): interpolated as is, not escaped again. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

/**
 * A tagged template for server-rendered pages: every interpolated value is escaped unless it is
 * SafeHtml (another `html` result); arrays are joined. Escaping is the default, so a value cannot
 * slip into the page as markup by being forgotten.
 */
export const html = (strings: TemplateStringsArray, ...values: unknown[]): SafeHtml =>
  new SafeHtml(strings.reduce((out, s, i) => {
    if (i === 0) return s;
    const v = values[i - 1];
    const part = Array.isArray(v) ? v.map((x) => (x instanceof SafeHtml ? x.value : escapeHtml(x))).join('')
      : v instanceof SafeHtml ? v.value : escapeHtml(v);
    return out + part + s;
  }, ''));
