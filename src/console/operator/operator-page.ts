import { html } from '../html.js';
import type { RolePage } from '../role-page.js';
import { operatorRoutes } from './operator.routes.js';

/** The operator's dashboard: recovery and retention figures as charts, contact figures, the queue, the evidence log's state. */
export const operatorPage: RolePage = {
  role: 'operator',
  script: 'operator-page',
  body: () => html`<h1>Dashboard</h1>
<p class="muted" id="operator-window" data-testid="operator-window"></p>
<div id="console-root" data-testid="operator-root" class="grid operator"></div>`,
  routes: operatorRoutes,
};
