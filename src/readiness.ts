/**
 * Start-up work that gates `/readyz` (ARCHITECTURE.md "Start-up and readiness"): migrations, demo
 * seeding and the first alert evaluation. Features register their step; readiness is "every
 * registered step done and the database answers". Socket adapters report here too but never gate.
 */

export type StepState = 'pending' | 'running' | 'done' | 'failed';

export interface StartupStep {
  name: string;
  run(): Promise<void>;
}

export interface ReadinessReport {
  ready: boolean;
  steps: Record<string, StepState>;
  reasons: string[];
  sockets: Record<string, 'up' | 'down' | 'connecting'>;
}

export class Readiness {
  private readonly steps = new Map<string, { state: StepState; error?: string; run: () => Promise<void> }>();
  private readonly sockets = new Map<string, 'up' | 'down' | 'connecting'>();

  add(step: StartupStep): void {
    if (this.steps.has(step.name)) throw new Error(`start-up step "${step.name}" registered twice`);
    this.steps.set(step.name, { state: 'pending', run: step.run });
  }

  /** Runs the steps in order; stops at the first failure (the process should then exit). */
  async runAll(onStep?: (name: string, ms: number) => void): Promise<void> {
    for (const [name, step] of this.steps) {
      if (step.state === 'done') continue;
      step.state = 'running';
      const started = performance.now();
      try {
        await step.run();
        step.state = 'done';
        onStep?.(name, Math.round(performance.now() - started));
      } catch (err) {
        step.state = 'failed';
        step.error = err instanceof Error ? err.message : String(err);
        throw err;
      }
    }
  }

  setSocket(platform: string, state: 'up' | 'down' | 'connecting'): void {
    this.sockets.set(platform, state);
  }

  report(dbOk: boolean, dbError?: string): ReadinessReport {
    const steps: Record<string, StepState> = {};
    const reasons: string[] = [];
    for (const [name, s] of this.steps) {
      steps[name] = s.state;
      if (s.state !== 'done') reasons.push(s.error ? `${name} failed: ${s.error}` : `${name} ${s.state}`);
    }
    if (!dbOk) reasons.push(`database unreachable${dbError ? `: ${dbError}` : ''}`);
    return { ready: reasons.length === 0, steps, reasons, sockets: Object.fromEntries(this.sockets) };
  }
}
