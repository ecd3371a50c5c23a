/**
 * The Worker inside workerd over D1 with migrations applied (storage isolated per
 * test file). Requests go straight to the Worker's fetch with its bindings: through
 * the `exports` loopback each request cost more than the one before (a long suite
 * slowed quadratically), and nothing in between is under test.
 */
import { env } from 'cloudflare:workers';
import worker, { depsFor, type Env } from '../../src/worker';
import type { Runtime } from './runtime.node';

export type { Runtime };

/** `settings` override the bindings' vars (a copy of the bindings: its own dependencies, the same D1 and rate limiters). */
export async function createRuntime(settings: Record<string, string> = {}): Promise<Runtime> {
  const bindings = (Object.keys(settings).length ? { ...env, ...settings } : env) as unknown as Env;
  // work kept alive after the response runs on, as with waitUntil; a failure is reported, not lost
  const ctx = {
    waitUntil: (work: Promise<unknown>) => void work.catch((error: unknown) => console.error('waitUntil work failed', error)),
    passThroughOnException() {},
    props: {},
  };
  return { kind: 'worker', fetch: async (request) => worker.fetch(request, bindings, ctx as never), deps: depsFor(bindings) };
}
