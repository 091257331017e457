import canonicalize from 'canonicalize';

/**
 * RFC 8785 (JCS) canonical JSON of a JSON value, byte for byte what the
 * `canonicalize` package writes, including its refusals (NaN, Infinity, lone
 * surrogates). Verification canonicalizes every payload it re-hashes, so this
 * skips the package's per-call Set, map/join arrays and JS surrogate scan:
 * strings use the engine's JSON.stringify (RFC 8785 §3.2.2.2 is exactly
 * ECMAScript's) and the native isWellFormed check.
 */
export const canonicalJson = (v: unknown): string => {
  switch (typeof v) {
    case 'string':
      if (!v.isWellFormed()) throw new Error('Lone surrogate is not allowed');
      return JSON.stringify(v);
    case 'number':
      if (!Number.isFinite(v)) throw new Error(Number.isNaN(v) ? 'NaN is not allowed' : 'Infinity is not allowed');
      return JSON.stringify(v);
    case 'object':
      break;
    default:
      return JSON.stringify(v);
  }
  if (v === null) return 'null';
  // why: objects with toJSON (Dates, Buffers) are rare here; the package defines how they read.
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return canonicalize(v) as string;
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (i > 0) out += ',';
      out += x === undefined || typeof x === 'symbol' ? 'null' : canonicalJson(x);
    }
    return `${out}]`;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const x = o[k];
    if (x === undefined || typeof x === 'symbol') continue;
    if (!first) out += ',';
    first = false;
    out += `${canonicalJson(k)}:${canonicalJson(x)}`;
  }
  return `${out}}`;
};
