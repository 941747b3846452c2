/**
 * Scheduled jobs (digests, alert evaluation, freshness, connectors): cron per team time zone, one
 * run per slot per cluster through a unique `job_runs(job_id, slot)` insert, catch-up after
 * downtime. Imports neither Fastify nor a platform SDK. Filled by the scheduler issue.
 */
export {};
