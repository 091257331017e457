/** Who signs in to the consoles; each role sees only its own pages (admin: the users page). */
export const CONSOLE_ROLES = ['specialist', 'compliance', 'operator', 'admin'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

export const isConsoleRole = (s: string): s is ConsoleRole => (CONSOLE_ROLES as readonly string[]).includes(s);

/** A signed-in person as the pages and the APIs see them. */
export type ConsoleUser = {
  id: string;
  username: string;
  displayName: string;
  role: ConsoleRole;
  specialistId: string | null;
};
