import { html } from '../html.js';
import type { RolePage } from '../role-page.js';

/**
 * The compliance console: search, timelines, transcripts, proofs, exports and the access log, filled
 * by its script (src/console/browser/compliance-page.ts) from the compliance API.
 */
export const compliancePage: RolePage = {
  role: 'compliance',
  script: 'compliance-page',
  body: () => html`<h1>Evidence</h1><div id="console-root" class="compliance" data-testid="compliance-root"><p class="muted">Loading…</p></div>`,
};
