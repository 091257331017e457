import { html } from '../html.js';
import type { RolePage } from '../role-page.js';

/** The compliance console: search, timelines, transcripts, proofs and exports, from the compliance API. */
export const compliancePage: RolePage = {
  role: 'compliance',
  script: 'compliance-page',
  body: () => html`<h1>Evidence</h1><div id="console-root" data-testid="compliance-root"></div>`,
};
