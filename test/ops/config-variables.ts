import { readFileSync } from 'node:fs';
import { loadConfig } from '../../src/config/config.js';

/**
 * The environment variables src/config/config.ts reads, observed rather than
 * listed: loadConfig runs on an environment that records every name asked
 * for. A variable added to config.ts shows up here without anyone updating a list.
 */
export const configVariables = (): string[] => {
  const read = new Set<string>();
  const env = new Proxy({} as NodeJS.ProcessEnv, {
    get: (target, name) => {
      if (typeof name === 'string' && /^[A-Z][A-Z0-9_]*$/.test(name)) read.add(name);
      return Reflect.get(target, name);
    },
  });
  loadConfig(env);
  return [...read].sort();
};

/** The variable names of README's configuration table (its first column). */
export const readmeConfigVariables = (readmePath = 'README.md'): string[] => {
  const text = readFileSync(readmePath, 'utf8');
  const section = text.slice(text.indexOf('## Configuration'), text.indexOf('\n## ', text.indexOf('## Configuration') + 3));
  return [...section.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((m) => m[1]!).sort();
};
