import type { ConsoleRole, ConsoleUser } from './console-role.js';
import { html, type SafeHtml } from './html.js';

/** Each role's page: its address and what the header calls it. */
export const ROLE_HOME: Record<ConsoleRole, { path: string; title: string }> = {
  specialist: { path: '/console/specialist', title: 'Specialist console' },
  compliance: { path: '/console/compliance', title: 'Compliance console' },
  operator: { path: '/console/operator', title: 'Operator dashboard' },
  admin: { path: '/console/admin', title: 'Console users' },
};

const head = (title: string, csrfToken?: string) => html`<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${csrfToken ? html`<meta name="csrf-token" content="${csrfToken}">` : ''}
<title>${title}</title>
<link rel="stylesheet" href="/console/assets/console.css">
</head>`;

/** A whole page: doctype, head, the signed-in header (when a user is given) and the body. */
export const renderPage = (o: {
  title: string; insurerName: string; body: SafeHtml; user?: ConsoleUser; csrfToken?: string;
  /** The page's script: /console/assets/NAME.js (a module; no inline script anywhere). */
  script?: string;
  /** Data for the page's script, as data-* attributes of <main> (escaped like any value). */
  data?: Record<string, string>;
}): string => {
  const data = Object.entries(o.data ?? {}).map(([k, v]) => html` data-${k.replace(/[^a-z-]/g, '')}="${v}"`);
  const header = o.user && o.csrfToken ? html`<header class="top">
<span class="brand">${o.insurerName}</span>
<nav><a href="${ROLE_HOME[o.user.role].path}">${ROLE_HOME[o.user.role].title}</a></nav>
<span class="who" data-testid="who">${o.user.displayName} <small>(${o.user.role})</small></span>
<form method="post" action="/console/sign-out" class="sign-out"><input type="hidden" name="_csrf" value="${o.csrfToken}"><button type="submit">Sign out</button></form>
</header>` : html`<header class="top"><span class="brand">${o.insurerName}</span></header>`;
  return `<!doctype html>\n${html`<html lang="en">
${head(`${o.title} · ${o.insurerName}`, o.csrfToken)}
<body>
${header}
<main id="app"${data}>
${o.body}
</main>
${o.script ? html`<script type="module" src="/console/assets/${o.script}.js"></script>` : ''}
</body>
</html>`}\n`;
};

/** The sign-in form (with the pre-session CSRF token), and what went wrong last time, if anything. */
export const signInBody = (o: { csrf: string; username?: string; problem?: string; notice?: string }) => html`
<section class="card narrow">
<h1>Sign in</h1>
${o.problem ? html`<p class="problem" role="alert" data-testid="problem">${o.problem}</p>` : ''}
${o.notice ? html`<p class="notice" role="status">${o.notice}</p>` : ''}
<form method="post" action="/console/sign-in" class="stack">
<input type="hidden" name="_csrf" value="${o.csrf}">
<label>Username <input name="username" autocomplete="username" required maxlength="64" value="${o.username ?? ''}"></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required maxlength="256"></label>
<button type="submit">Sign in</button>
</form>
</section>`;

/** A page a signed-in user may not see: whose it is, and the way back to their own. */
export const refusedBody = (user: ConsoleUser, role: ConsoleRole) => html`
<section class="card narrow" data-testid="refused">
<h1>Not your page</h1>
<p>This page is for the ${role} role. You are signed in as ${user.displayName}, with the ${user.role} role.</p>
<p><a href="${ROLE_HOME[user.role].path}">Go to your ${ROLE_HOME[user.role].title.toLowerCase()}</a></p>
</section>`;
