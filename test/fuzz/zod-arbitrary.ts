import fc from 'fast-check';
import type { z } from 'zod';

// Valid values from a route's own zod schema (zod 4's definitions), so fuzzing reaches past
// validation into the flows; field-name hints make them realistic (callers we know, keypad digits).

type Def = { type: string; [k: string]: unknown };
type Check = { check: string; format?: string; pattern?: RegExp; minimum?: number; maximum?: number; value?: number; inclusive?: boolean };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;
const checksOf = (d: Def): Check[] => ((d.checks as { _zod: { def: Check } }[] | undefined) ?? []).map((c) => c._zod.def);

/** Values a field of this name should usually take, to reach deep into the flows. */
export type FieldHints = Record<string, fc.Arbitrary<unknown>>;

const isOptional = (s: z.ZodType): boolean => ['optional', 'default'].includes(defOf(s).type);

const stringArb = (d: Def): fc.Arbitrary<string> => {
  if (d.format === 'uuid') return fc.uuid();
  const checks = checksOf(d);
  const regex = checks.find((c) => c.format === 'regex')?.pattern ?? (d.pattern instanceof RegExp && d.format ? d.pattern : undefined);
  const min = checks.find((c) => c.check === 'min_length')?.minimum ?? 0;
  const max = Math.min(checks.find((c) => c.check === 'max_length')?.maximum ?? 40, 200);
  if (regex) return fc.stringMatching(regex).filter((s) => s.length >= min && s.length <= max);
  return fc.string({ minLength: min, maxLength: Math.max(min, max) });
};

const numberArb = (d: Def): fc.Arbitrary<number> => {
  const checks = checksOf(d);
  const lo = checks.find((c) => c.check === 'greater_than')?.value ?? 0;
  const hi = checks.find((c) => c.check === 'less_than')?.value ?? 1_000_000;
  return checks.some((c) => c.format === 'safeint') ? fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) }) : fc.double({ min: lo, max: hi, noNaN: true });
};

/** An arbitrary of values the schema accepts (best effort: refinements across fields may still refuse some). */
export const validArb = (schema: z.ZodType, hints: FieldHints = {}): fc.Arbitrary<unknown> => {
  const d = defOf(schema);
  switch (d.type) {
    case 'object': {
      const shape = d.shape as Record<string, z.ZodType>;
      const fields = Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, hints[k] ?? validArb(v, hints)]));
      const requiredKeys = Object.entries(shape).filter(([k, v]) => !isOptional(v) || hints[k]).map(([k]) => k);
      return fc.record(fields, { requiredKeys });
    }
    case 'optional':
    case 'default':
    case 'nullable':
      return validArb(d.innerType as z.ZodType, hints);
    case 'pipe':
      return validArb(d.in as z.ZodType, hints);
    case 'string':
      return stringArb(d);
    case 'number':
      return numberArb(d);
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...Object.values(d.entries as Record<string, string>));
    case 'literal':
      return fc.constantFrom(...(d.values as unknown[]));
    case 'union':
      return fc.oneof(...(d.options as z.ZodType[]).map((o) => validArb(o, hints)));
    case 'array':
      return fc.array(validArb(d.element as z.ZodType, hints), { maxLength: 3 });
    default:
      return fc.string({ maxLength: 20 });
  }
};

/** The field names of an object schema (after optional/pipe wrappers), for mutations. */
export const fieldsOf = (schema: z.ZodType | undefined): string[] => {
  if (!schema) return [];
  const d = defOf(schema);
  if (d.type === 'object') return Object.keys(d.shape as object);
  if (['optional', 'default', 'nullable'].includes(d.type)) return fieldsOf(d.innerType as z.ZodType);
  if (d.type === 'pipe') return fieldsOf(d.in as z.ZodType);
  return [];
};
