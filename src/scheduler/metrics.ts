/**
 * Scheduler counters for /metrics. Labelled by job kind (`daily`, `personal`, `housekeeping`…),
 * never by job id: one label value per subscription would grow without bound.
 */
import { Counter, type Registry } from 'prom-client';

export interface SchedulerMetrics {
  /** Slots this replica ran, by outcome. */
  runs: Counter<'kind' | 'status'>;
  /** Slots given up because the coordinator (the job_runs insert) kept failing. */
  skipped: Counter<'kind'>;
}

export function createSchedulerMetrics(registry: Registry): SchedulerMetrics {
  const registers = [registry];
  return {
    runs: new Counter({
      name: 'scheduler_runs_total',
      help: 'Scheduled slots run by this replica, by job kind and outcome (ok, failed)',
      labelNames: ['kind', 'status'] as const,
      registers,
    }),
    skipped: new Counter({
      name: 'scheduler_skipped_slots_total',
      help: 'Scheduled slots skipped because claiming them in job_runs failed after retries',
      labelNames: ['kind'] as const,
      registers,
    }),
  };
}

/** `daily:12` → `daily`. */
export function jobKind(jobId: string): string {
  const i = jobId.indexOf(':');
  return i < 0 ? jobId : jobId.slice(0, i);
}
