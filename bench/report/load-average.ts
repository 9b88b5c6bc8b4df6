import { loadavg } from 'node:os';

/** Above this one-minute load average before the run, other work competes for the cores measured. */
export const LOAD_AVERAGE_LIMIT = 1;

export interface LoadCheck {
  /** One-minute load average when the bench started. */
  oneMinute: number;
  checked: boolean;
  /** Said in the table and the JSON when the machine was busy; null when it was not, or not checked. */
  warning: string | null;
}

export function checkLoadAverage(skip: boolean, oneMinute: number = loadavg()[0]): LoadCheck {
  const busy = !skip && oneMinute > LOAD_AVERAGE_LIMIT;
  return {
    oneMinute,
    checked: !skip,
    warning: busy
      ? `WARNING: load average ${oneMinute.toFixed(2)} before the run (above ${LOAD_AVERAGE_LIMIT}): other work was using this machine, so every figure below is skewed; run again on a quiet machine`
      : null,
  };
}
