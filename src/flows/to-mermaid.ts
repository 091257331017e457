import type { AnyStateMachine, StateNode } from 'xstate';

type AnyNode = StateNode<never, never>;

const guardName = (guard: unknown): string => {
  if (!guard) return '';
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && 'type' in guard) return String((guard as { type: unknown }).type);
  if (typeof guard === 'function' && guard.name && guard.name !== 'guard') return guard.name;
  return 'guard';
};

const label = (event: string, guard: unknown): string => {
  const g = guardName(guard);
  const e = event === '' ? 'always' : event.replace(/^xstate\.done\.state\..*/, 'done');
  return g && !g.startsWith('xstate.') ? `${e} [${g}]` : e;
};

/**
 * A Mermaid state diagram drawn from the machine itself (states, events,
 * named guards), so the documentation cannot drift from the flow that runs.
 * Top-level states only; inline guards show as [guard].
 */
export const toMermaid = (machine: AnyStateMachine): string => {
  const lines = ['stateDiagram-v2'];
  const root = machine.root as unknown as AnyNode;
  const initial = root.initial?.target?.[0];
  if (initial) lines.push(`  [*] --> ${initial.key}`);
  const seen = new Set<string>();
  const add = (from: string, to: string, text: string) => {
    const line = `  ${from} --> ${to}: ${text}`;
    if (!seen.has(line)) {
      seen.add(line);
      lines.push(line);
    }
  };
  for (const node of Object.values(root.states) as AnyNode[]) {
    for (const [event, transitions] of node.transitions) {
      for (const t of transitions) for (const target of t.target ?? [node]) add(node.key, target.key, label(event, t.guard));
    }
    for (const t of node.always ?? []) for (const target of t.target ?? []) add(node.key, target.key, label('', t.guard));
    if (node.type === 'final') lines.push(`  ${node.key} --> [*]`);
  }
  for (const [event, transitions] of root.transitions) {
    for (const t of transitions) for (const target of t.target ?? []) add('[*]', target.key, `${label(event, t.guard)} (any state)`);
  }
  return `${lines.join('\n')}\n`;
};
