import { readFileSync } from 'node:fs';

/**
 * The parsed JSON of a configuration file. Throws an Error that starts with
 * `<what> <file>:` and says whether the file could not be read or is not JSON,
 * so a process stops at start with the file named.
 */
export const readJsonFile = (file: string, what: string): unknown => {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const problem = err instanceof SyntaxError ? `is not JSON (${err.message})` : `cannot be read (${(err as Error).message})`;
    throw new Error(`${what} ${file}: ${problem}`, { cause: err });
  }
};
