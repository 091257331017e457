import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { listSpecialists } from '../../retention/list-specialists.js';
import type { RouteInput } from '../../shared/webhook-edge/route-input.js';
import { CONSOLE_ROLES, isConsoleRole } from '../console-role.js';
import { ConsoleUserError, createConsoleUser, listConsoleUsers, unlockConsoleUser } from '../console-users.js';
import { html } from '../html.js';
import { passwordProblem } from '../password-hash.js';
import { renderPage, ROLE_HOME } from '../render-page.js';
import { requirePageRole, type ConsoleDeps, type RolePage } from '../role-page.js';
import type { ConsoleSession } from '../console-sessions.js';

const addUserForm = z.object({
  _csrf: z.string().max(128),
  username: z.string().max(64),
  displayName: z.string().max(100).optional(),
  role: z.string().max(20),
  specialistId: z.string().max(64).optional(),
  password: z.string().max(256),
});
const unlockForm = z.object({ _csrf: z.string().max(128), username: z.string().max(64) });
const form = (body: z.ZodType) => ({ config: { input: { auth: 'console-session', answers: 'html', body } satisfies RouteInput } });

const usersBody = async (deps: ConsoleDeps, s: ConsoleSession, o: { problem?: string; notice?: string } = {}) => {
  const [users, specialists] = await Promise.all([listConsoleUsers(deps.db), listSpecialists(deps.db, { activeOnly: true })]);
  const now = deps.clock.now();
  return html`<h1>Console users</h1>
${o.problem ? html`<p class="problem" role="alert">${o.problem}</p>` : ''}
${o.notice ? html`<p class="notice" role="status">${o.notice}</p>` : ''}
<div class="table-wrap"><table data-testid="users">
<thead><tr><th>Username</th><th>Name</th><th>Role</th><th>Status</th><th></th></tr></thead>
<tbody>${users.map((u) => {
    const locked = u.lockedUntil && u.lockedUntil > now;
    return html`<tr><td>${u.username}</td><td>${u.displayName}</td><td>${u.role}</td>
<td>${u.disabled ? 'disabled' : locked ? html`locked until ${u.lockedUntil!.toISOString().slice(11, 16)} UTC` : 'active'}</td>
<td>${locked ? html`<form method="post" action="/console/admin/unlock"><input type="hidden" name="_csrf" value="${s.csrfToken}"><input type="hidden" name="username" value="${u.username}"><button type="submit">Unlock</button></form>` : ''}</td></tr>`;
  })}</tbody></table></div>
<section class="card"><h2>Add a user</h2>
<form method="post" action="/console/admin/users" class="stack">
<input type="hidden" name="_csrf" value="${s.csrfToken}">
<label>Username <input name="username" required maxlength="64" autocomplete="off"></label>
<label>Name <input name="displayName" maxlength="100"></label>
<label>Role <select name="role">${CONSOLE_ROLES.map((r) => html`<option value="${r}">${r}</option>`)}</select></label>
<label>Retention specialist (specialist role only) <select name="specialistId"><option value="">none</option>${specialists.map((sp) => html`<option value="${sp.id}">${sp.name}</option>`)}</select></label>
<label>Password (12 characters or more) <input name="password" type="password" required minlength="12" maxlength="256" autocomplete="new-password"></label>
<button type="submit">Add user</button>
</form></section>`;
};

/**
 * The admin's page: who may sign in, with which role; add a user, lift a lockout. (The first admin
 * comes from the CLI: npm run users -- add.)
 */
export const adminPage: RolePage = {
  role: 'admin',
  body: (s, deps) => usersBody(deps, s),
  routes: async (app: FastifyInstance, deps: ConsoleDeps) => {
    const send = async (reply: FastifyReply, s: ConsoleSession, code: number, o: { problem?: string; notice?: string } = {}) =>
      reply.code(code).type('text/html; charset=utf-8').send(renderPage({
        title: ROLE_HOME.admin.title, insurerName: deps.insurerName, user: s.user, csrfToken: s.csrfToken, body: await usersBody(deps, s, o),
      }));
    app.post('/console/admin/users', form(addUserForm), async (request, reply) => {
      const s = requirePageRole(deps, 'admin', request, reply);
      if (!s) return reply;
      const f = addUserForm.safeParse(request.body);
      if (!f.success || f.data._csrf !== s.csrfToken) return send(reply, s, 403, { problem: 'Refused: the form did not come from this page (CSRF token). Nothing was changed.' });
      const problem = !isConsoleRole(f.data.role) ? `no role ${f.data.role}` : passwordProblem(f.data.password);
      if (problem) return send(reply, s, 400, { problem });
      try {
        const u = await createConsoleUser(deps.db, deps.clock, {
          username: f.data.username, displayName: f.data.displayName, role: f.data.role as (typeof CONSOLE_ROLES)[number],
          password: f.data.password, specialistId: f.data.specialistId || null,
        });
        return send(reply, s, 201, { notice: `Added ${u.username} (${u.role}).` });
      } catch (err) {
        if (err instanceof ConsoleUserError) return send(reply, s, 400, { problem: err.message });
        throw err;
      }
    });
    app.post('/console/admin/unlock', form(unlockForm), async (request, reply) => {
      const s = requirePageRole(deps, 'admin', request, reply);
      if (!s) return reply;
      const f = unlockForm.safeParse(request.body);
      if (!f.success || f.data._csrf !== s.csrfToken) return send(reply, s, 403, { problem: 'Refused: the form did not come from this page (CSRF token). Nothing was changed.' });
      const done = await unlockConsoleUser(deps.db, f.data.username);
      return send(reply, s, done ? 200 : 404, done ? { notice: `Unlocked ${f.data.username}.` } : { problem: `no user ${f.data.username}` });
    });
  },
};
