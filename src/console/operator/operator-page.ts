import { html } from '../html.js';
import type { RolePage } from '../role-page.js';

/** The operator's dashboard: recovery and retention figures as charts, queues, the evidence log's state. */
export const operatorPage: RolePage = {
  role: 'operator',
  script: 'operator-page',
  body: () => html`<h1>Dashboard</h1><div id="console-root" data-testid="operator-root"></div>`,
};
