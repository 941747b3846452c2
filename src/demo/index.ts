/**
 * The demo workspace: a deterministic cross-border seller on ten stores, generated from
 * (seed, anchor) and rolled forward to yesterday at every start (ARCHITECTURE.md "Demo
 * workspace"). Every row is a pure function of (seed, entity, day); see random.ts and model.ts
 * for why, story.ts for what happens in it, lifecycle.ts for seed / roll-forward / purge.
 */
export { DEMO_WINDOW_DAYS, demoState, ensureDemo, purgeDemo, rollDemoForward, seedDemo } from './lifecycle.ts';
export type { DemoState, DemoSummary, RollResult, SeedOptions } from './lifecycle.ts';
export { AD_SPIKE, buildStory, GOAL_PACE, SERVICE_DIP, STANDING_ISSUES, type DemoStory } from './story.ts';
export { achievement, computePace, MIN_ELAPSED_DAYS, RAG_CUTOFFS, ragForPace, type PaceInput, type PaceResult } from './pace.ts';
export { DEFAULT_DEMO_SEED, DEMO_WORKSPACE_ID, DEMO_WORKSPACE_NAME } from './org.ts';
export { DEFAULT_ALERT_RULES } from './alert-rules.ts';
