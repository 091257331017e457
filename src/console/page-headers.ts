import type { FastifyReply } from 'fastify';

/**
 * Everything a console page loads comes from the gateway itself: no inline script or style, no
 * external CDN, no framing. Scripts and styles are files under /console/assets.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
  "font-src 'self'", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'",
].join('; ');

/** The headers every console response carries (pages, assets, downloads made for a page). */
export const setPageHeaders = (reply: FastifyReply) =>
  reply
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store');
