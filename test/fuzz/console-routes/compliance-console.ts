/** The routes the compliance console adds (besides its page, GET /console/compliance): the fuzz suite expects each. */
export const COMPLIANCE_CONSOLE_ROUTES: readonly string[] = [];
