import { hostname } from 'node:os';

/** Activities of the connectivity probe: they run on the worker host, outside the workflow sandbox. */
export function createProbeActivities() {
  return {
    describeWorker(): Promise<{ host: string; pid: number }> {
      return Promise.resolve({ host: hostname(), pid: process.pid });
    },
  };
}

export type ProbeActivities = ReturnType<typeof createProbeActivities>;
