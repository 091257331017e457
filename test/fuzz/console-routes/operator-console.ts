/** The routes the operator console adds (besides its page, GET /console/operator): the fuzz suite expects each. */
export const OPERATOR_CONSOLE_ROUTES: readonly string[] = [
  'GET /console/operator/figures', 'GET /console/operator/queue', 'GET /console/operator/evidence',
];
