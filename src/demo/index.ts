/**
 * The demo workspace: a deterministic seller on ten stores, generated from (seed, anchor) and
 * rolled forward to yesterday at every start. Filled by the demo issue.
 */
export {};
