/** Bull Board's read-only routes, mounted at /console/operator/queues (src/console/operator/bull-board-routes.ts). */
const BOARD = '/console/operator/queues';
const BULL_BOARD_ROUTES = [
  '', '/', '/metrics-history', '/job-schedulers', '/queue/:queueName', '/queue/:queueName/:jobId',
  '/static/:file', '/static/:dir/:file', '/static/:dir/:sub/:file',
  '/api/redis/stats', '/api/queues', '/api/job-schedulers', '/api/queues/:queueName/metrics', '/api/queues/:queueName/default-job-options',
  '/api/queues/:queueName/workers', '/api/queues/:queueName/rate-limit', '/api/queues/:queueName/job-data-schema',
  '/api/queues/:queueName/:jobId/logs', '/api/queues/:queueName/:jobId/flow', '/api/queues/:queueName/:jobId',
].map((r) => `GET ${BOARD}${r}`);

/** The routes the operator console adds (besides its page, GET /console/operator): the fuzz suite expects each. */
export const OPERATOR_CONSOLE_ROUTES: readonly string[] = [
  'GET /console/operator/figures', 'GET /console/operator/queue', 'GET /console/operator/evidence',
  ...BULL_BOARD_ROUTES,
];
