/** The routes the specialist console adds (besides its page, GET /console/specialist): the fuzz suite expects each. */
export const SPECIALIST_CONSOLE_ROUTES: readonly string[] = ['GET /console/specialist/events', 'GET /console/specialist/people'];
