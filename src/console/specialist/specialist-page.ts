import { html } from '../html.js';
import type { RolePage } from '../role-page.js';
import { specialistEventsRoute } from './specialist-events.js';
import { specialistPeopleRoute } from './specialist-people.js';

/**
 * The retention specialist's console: availability, the live pop of a transfer or callback ringing
 * them (with its screen pop and the outcome form), the day's callbacks and recovery tasks. The
 * shell's sections are filled by specialist-page.ts (browser) from the JSON APIs.
 */
export const specialistPage: RolePage = {
  role: 'specialist',
  script: 'specialist-page',
  body: ({ user }) => html`<h1>Hello, ${user.displayName}</h1>
<div id="console-root" class="specialist" data-testid="specialist-root">
<section class="card" id="availability" data-testid="availability"><h2>Availability</h2><p class="muted">Loading…</p></section>
<section id="incoming" data-testid="incoming" aria-live="assertive"></section>
<div class="grid">
<section class="card" id="callbacks" data-testid="callbacks"><h2>Today's callbacks</h2><p class="muted">Loading…</p></section>
<section class="card" id="tasks" data-testid="tasks"><h2>Recovery tasks</h2><p class="muted">Loading…</p></section>
</div>
</div>`,
  data: (user) => ({ specialist: user.specialistId ?? '' }),
  routes: async (app, deps) => {
    specialistEventsRoute(app, deps);
    specialistPeopleRoute(app, deps);
  },
};
