/**
 * The slice of a pino logger the infrastructure bootstraps need. Fastify's
 * logger satisfies it; tests pass a small recorder.
 */
export type InfraLogger = {
  debug: (obj: object, msg?: string) => void;
  info: (obj: object, msg?: string) => void;
  warn: (obj: object, msg?: string) => void;
  error: (obj: object, msg?: string) => void;
};

/** A logger that drops everything (for callers that do not care). */
export const silentLogger: InfraLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
