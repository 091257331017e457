// Module hooks of record-loaded-modules.mjs: appends each resolved URL to the file.
import { appendFileSync } from 'node:fs';

let file;
export const initialize = (data) => {
  file = data.file;
};
export const resolve = async (specifier, context, next) => {
  const result = await next(specifier, context);
  appendFileSync(file, `${result.url}\n`);
  return result;
};
