import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

// The layout's rules (DESIGN.md, issue 17), checked on the source itself so they cannot drift.

const SRC = 'src';
const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const f = path.join(dir, n);
    if (statSync(f).isDirectory()) return n === 'testdata' || n === 'test-support' ? [] : sources(f);
    return /\.(ts|mts|mjs)$/.test(n) && !n.endsWith('.test.ts') && !n.endsWith('.d.mts') ? [f] : [];
  });
const files = sources(SRC);
/** The domain folders whose imports must not form a cycle; app wiring (runtime, app.ts, main.ts) may import anything. */
const DOMAINS = new Set(['ivr', 'sms', 'payments', 'evidence', 'jobs', 'flows', 'turns', 'telephony', 'retention', 'recovery', 'shared', 'db', 'config', 'infra', 'import', 'policies', 'consent', 'notices', 'console']);
const domainOf = (f: string) => f.split(path.sep)[1]!;

const importGraph = () => {
  const edges = new Map<string, Map<string, string>>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    // why: `import type` is erased from the running code; cycles are about what loads what.
    for (const m of text.replace(/^import type [^;]+;$/gms, '').matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)|^import\s+['"](\.[^'"]+)['"]/gm)) {
      const target = path.normalize(path.join(path.dirname(f), (m[1] ?? m[2] ?? m[3])!));
      const [a, b] = [domainOf(f), domainOf(target)];
      if (a === b || !DOMAINS.has(a) || !DOMAINS.has(b)) continue;
      if (!edges.has(a)) edges.set(a, new Map());
      if (!edges.get(a)!.has(b)) edges.get(a)!.set(b, `${f} -> ${target}`);
    }
  }
  return edges;
};

/** Every elementary cycle through the smallest domain name in it, once, with the import that makes each step. */
const cycles = (edges: Map<string, Map<string, string>>): string[] => {
  const out = new Set<string>();
  const walk = (start: string, at: string, trail: string[]) => {
    for (const next of edges.get(at)?.keys() ?? []) {
      if (next === start) out.add([...trail, start].join(' > '));
      else if (next > start && !trail.includes(next)) walk(start, next, [...trail, next]);
    }
  };
  for (const d of edges.keys()) walk(d, d, [d]);
  return [...out].sort();
};

test('no import cycles between domain folders', () => {
  const edges = importGraph();
  const found = cycles(edges);
  const explain = (c: string) => {
    const steps = c.split(' > ');
    return `${c}\n${steps.slice(1).map((b, i) => `    ${edges.get(steps[i]!)!.get(b)}`).join('\n')}`;
  };
  assert.deepEqual(found, [], `import cycles:\n${found.map(explain).join('\n')}`);
});

// why: every domain may import policies and consent (callers, holders, consent for numbers), so they import nothing but the basics.
test('policies and consent are leaf domains: they import only shared, db and config', () => {
  const edges = importGraph();
  for (const leaf of ['policies', 'consent']) {
    const out = [...(edges.get(leaf) ?? new Map<string, string>()).entries()].filter(([to]) => !['shared', 'db', 'config'].includes(to));
    assert.deepEqual(out.map(([, why]) => why), [], `${leaf} imports another domain`);
  }
});

test('nothing outside the turn engine writes flow_sessions', () => {
  const writers = files.filter((f) => !f.startsWith(path.join(SRC, 'turns')) && !f.startsWith(path.join(SRC, 'db')))
    .filter((f) => /(insert\s+into|update|delete\s+from)\s+flow_sessions/i.test(readFileSync(f, 'utf8')));
  assert.deepEqual(writers, []);
});

/** Every table's owning domain (src/<folder>). */
const TABLE_OWNER: Record<string, string> = {
  policyholders: 'policies', policyholder_phones: 'policies', policies: 'policies',
  consents: 'consent',
  sms_messages: 'sms', contact_log: 'contact',
  premium_dues: 'payments', payment_attempts: 'payments', payment_methods: 'payments', pay_links: 'payments', refunds: 'payments', stripe_events: 'payments',
  callback_requests: 'retention', cancellation_requests: 'retention', retention_specialists: 'retention',
  warm_transfers: 'retention', transfer_legs: 'retention',
  evidence_events: 'evidence', evidence_checkpoints: 'evidence', evidence_log_leaves: 'evidence', evidence_tree_nodes: 'evidence',
  evidence_unsequenced: 'evidence', policy_chain_links: 'evidence', api_tokens: 'evidence', interactions: 'evidence',
  flow_sessions: 'turns', webhook_receipts: 'turns',
  outbox: 'jobs',
  notice_jobs: 'notices',
  recovery_tasks: 'recovery', recoveries: 'recovery',
  console_users: 'console', console_sessions: 'console',
};

// A read or write of another domain's table goes through the owner's function, or SQL text the owner
// exports to embed in one statement where a call per owner would add round trips on the call path
// (policies' policy-join-sql.ts, evidence's interactionHeadJoin and moveHeadsSql, jobs' insertOutboxSql
// and cancelJobsSql): the table's name then appears in its owner's files only.

/** `file table` for each statement naming a table its file's domain does not own (and may not read). */
const foreignSql = (): string[] => {
  const tables = Object.keys(TABLE_OWNER).join('|');
  const sql = new RegExp(`\\b(from|into|update|join)\\s+(${tables})\\b`, 'gi');
  const out = new Set<string>();
  for (const f of files) {
    const d = domainOf(f);
    if (d === 'db') continue; // migrations and the pool
    // why: comments may name tables in prose; only code runs SQL.
    const code = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
    for (const m of code.matchAll(sql)) {
      const table = m[2]!.toLowerCase();
      if (TABLE_OWNER[table] === d) continue;
      out.add(`${f} ${table}`);
    }
  }
  return [...out].sort();
};

test("no domain runs SQL on another domain's tables", () => {
  const found = foreignSql();
  assert.deepEqual(found, [], `SQL on another domain's tables (file table); call the owner's exported functions instead:\n${found.join('\n')}`);
});
