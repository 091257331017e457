/** A decoded Stripe form body: nested keys (`metadata[due_id]`, `line_items[0][quantity]`) become objects. */
export type FormValue = string | FormObject;
export type FormObject = { [key: string]: FormValue };

/**
 * Decodes `application/x-www-form-urlencoded` the way Stripe reads it:
 * `a[b][c]=v` nests; indexed arrays stay objects keyed '0', '1'... (use
 * {@link listOf}). Hand-written because no installed parser nests brackets
 * without also turning them into arrays with gaps.
 */
export const parseStripeForm = (body: string): FormObject => {
  const out: FormObject = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const parts = rawKey.split(/[[\]]+/).filter((p, i) => p !== '' || i === 0);
    let node = out;
    parts.forEach((p, i) => {
      const key = p === '' ? String(Object.keys(node).length) : p;
      if (i === parts.length - 1) {
        node[key] = value;
        return;
      }
      const next = node[key];
      if (typeof next !== 'object') node[key] = {};
      node = node[key] as FormObject;
    });
  }
  return out;
};

export const str = (o: FormObject, key: string): string | undefined => {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
};

export const obj = (o: FormObject, key: string): FormObject => {
  const v = o[key];
  return typeof v === 'object' ? v : {};
};

/** Values of an indexed form array (`x[0]`, `x[1]`...), in index order. */
export const listOf = (o: FormObject, key: string): FormValue[] =>
  Object.entries(obj(o, key))
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, v]) => v);

/** Metadata as Stripe stores it: a flat map of strings. */
export const metadataOf = (o: FormObject, key = 'metadata'): Record<string, string> => {
  const m: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(o, key))) if (typeof v === 'string') m[k] = v;
  return m;
};

/** A stable text of a request's parameters, to compare a replayed idempotent request with the first. */
export const canonicalParams = (body: string): string =>
  [...new URLSearchParams(body)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join('&');
