import type { AnyStateMachine } from 'xstate';

/** A machine as sessions pin it: a session keeps running the version it started on. */
export type RegisteredMachine = { id: string; version: number; machine: AnyStateMachine };

export type MachineRegistry = {
  latest: (id: string) => RegisteredMachine;
  get: (id: string, version: number) => RegisteredMachine;
};

/**
 * Holds every deployed version of every flow machine. A deploy adds a version
 * and keeps the old ones, so a live call never changes flow underneath it.
 */
export const createMachineRegistry = (machines: readonly RegisteredMachine[]): MachineRegistry => {
  const byKey = new Map<string, RegisteredMachine>();
  const latest = new Map<string, RegisteredMachine>();
  for (const m of machines) {
    byKey.set(`${m.id}@${m.version}`, m);
    const cur = latest.get(m.id);
    if (!cur || cur.version < m.version) latest.set(m.id, m);
  }
  return {
    latest: (id) => {
      const m = latest.get(id);
      if (!m) throw new Error(`no flow machine registered as ${id}`);
      return m;
    },
    get: (id, version) => {
      const m = byKey.get(`${id}@${version}`);
      if (!m) throw new Error(`flow machine ${id} version ${version} is not deployed here`);
      return m;
    },
  };
};
