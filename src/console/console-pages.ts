import type { ConsoleRole } from './console-role.js';
import type { RolePage } from './role-page.js';
import { adminPage } from './admin/admin-page.js';
import { compliancePage } from './compliance/compliance-page.js';
import { operatorPage } from './operator/operator-page.js';
import { specialistPage } from './specialist/specialist-page.js';

/** Each role's page (and its own routes): every role sees only its own. */
export const ROLE_PAGES: Record<ConsoleRole, RolePage> = {
  specialist: specialistPage,
  compliance: compliancePage,
  operator: operatorPage,
  admin: adminPage,
};
