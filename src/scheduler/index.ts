/**
 * Scheduled jobs (digests, housekeeping; later alert evaluation, freshness, connectors): slots per
 * job in its own IANA zone and working calendar, one run per slot per cluster through a unique
 * `job_runs(job_id, slot)` insert, catch-up after downtime. Imports neither Fastify nor a
 * platform SDK; the server's plugin (src/plugins/scheduler.ts) wires it up.
 */
export { claimSlot, finishSlot, type ClaimResult } from './claim.ts';
export { createScheduler, type JobSource, type JobSpec, type Scheduler, type SchedulerDeps, type TickReport } from './engine.ts';
export { createHeartbeat, HEARTBEAT_CRON, HEARTBEAT_TASK_NAME, type Heartbeat } from './heartbeat.ts';
export { housekeepingJob, runHousekeeping, type Pruned, type Retention } from './housekeeping.ts';
export { createSchedulerMetrics, jobKind, type SchedulerMetrics } from './metrics.ts';
export { CADENCES, lastSlot, nextSlot, runsOn, slotOn, slotsBetween, TIME_RE, type Cadence, type Schedule } from './schedule.ts';
export { EVERY_DAY, workCalendar, type WorkCalendar, type WorkCalendarSpec } from './work-calendar.ts';
export { loadWorkCalendarSpec, workCalendarCache } from './work-calendar-load.ts';
export { zonedInstant } from './zoned-time.ts';
