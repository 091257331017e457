import { html } from '../html.js';
import type { RolePage } from '../role-page.js';

/** The retention specialist's console: availability, live transfers, callbacks and recovery tasks. */
export const specialistPage: RolePage = {
  role: 'specialist',
  script: 'specialist-page',
  body: ({ user }) => html`<h1>Hello, ${user.displayName}</h1><div id="console-root" data-testid="specialist-root"></div>`,
  data: (user) => ({ specialist: user.specialistId ?? '' }),
};
