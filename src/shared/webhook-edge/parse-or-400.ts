import type { z } from 'zod';
import { AppError, type AppErrorCode } from '../app-error.js';

/** Validates a webhook's params or query with zod; a failure is a 400 naming the fields (nothing is written). */
export const parseOr400 = <S extends z.ZodType>(schema: S, value: unknown, what: string, code: AppErrorCode): z.infer<S> => {
  const r = schema.safeParse(value ?? {});
  if (!r.success) {
    const reasons = r.error.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`).join('; ');
    throw new AppError(code, `invalid ${what}: ${reasons}`);
  }
  return r.data;
};
