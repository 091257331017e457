import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Looks `name` up in a PATH string the way a shell does; returns the first
 * executable regular file or undefined. PATH is a parameter (the caller reads
 * the environment) so tests can pass an empty one.
 */
export const findExecutable = (name: string, pathEnv: string): string | undefined => {
  for (const dir of pathEnv.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
};
