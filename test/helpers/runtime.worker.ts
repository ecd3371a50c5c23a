/** The Worker inside workerd over D1 with migrations applied (storage isolated per test file). */
import { env, exports } from 'cloudflare:workers';
import { depsFor, type Env } from '../../src/worker';
import type { Runtime } from './runtime.node';

export type { Runtime };

export async function createRuntime(): Promise<Runtime> {
  const worker = (exports as unknown as { default: { fetch(r: Request): Promise<Response> } }).default;
  return { kind: 'worker', fetch: (request) => worker.fetch(request), deps: depsFor(env as unknown as Env) };
}
