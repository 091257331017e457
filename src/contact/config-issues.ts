import { z } from 'zod';

/** A strict object whose wrong-type message reads like the others: `caps: 3 is not an object`. */
export const strictObject = <T extends z.core.$ZodLooseShape>(shape: T) => z.strictObject(shape, { error: 'is not an object' });

// why: keys that are not plain words (`+15551230000`, `12345`, `New York`) are quoted, so a
// record key stays readable and is not mistaken for an array index or a nested field.
const PLAIN_KEY = /^[A-Za-z][\w-]*$/;
const pathPart = (key: PropertyKey): string => (typeof key === 'string' && !PLAIN_KEY.test(key) ? JSON.stringify(key) : String(key));

/** One zod issue as `field.path: <value> what is wrong` (parsed with `reportInput: true`). */
export const describeIssue = (issue: z.core.$ZodIssue): string => {
  const where = issue.path.length ? issue.path.map(pathPart).join('.') : '(top level)';
  if (issue.code === 'unrecognized_keys') return `${where}: unknown field ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  const message = issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
  const value = 'input' in issue && issue.input !== undefined ? `${JSON.stringify(issue.input)} ` : '';
  return `${where}: ${value}${message}`;
};

/** The Error a configuration parser throws: `<what>: <issue>; <issue>`. */
export const configError = (what: string, error: z.ZodError): Error => new Error(`${what}: ${error.issues.map(describeIssue).join('; ')}`);
