/**
 * The one source of time. Domain code asks the clock, never `Date.now()`,
 * so schedules spanning weeks run in simulated time in tests.
 */
export type Clock = { now: () => Date };

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand. */
export const createManualClock = (start: Date | string) => {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    advance: (ms: number) => {
      t += ms;
    },
    set: (d: Date | string) => {
      t = new Date(d).getTime();
    },
  };
};
