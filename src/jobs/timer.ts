import type { Deps } from '../db/context';
import { HOURLY, runScheduled } from './index';

const HOUR_MS = 60 * 60 * 1000;

/**
 * Node: the hourly jobs shortly after start (catch-up after downtime) and then on
 * every hour. The returned function stops the timer and resolves when a run in
 * progress has finished.
 */
export function startJobTimer(deps: Deps): () => Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | null = null;
  let stopped = false;
  const run = async () => {
    if (running || stopped) return;
    running = (async () => {
      try {
        await runScheduled(deps, HOURLY, deps.clock(), 'timer');
      } catch (error) {
        deps.log({ level: 'error', msg: 'scheduled run failed', error: String(error) });
      }
    })();
    await running;
    running = null;
  };
  const scheduleNext = () => {
    const now = deps.clock();
    timer = setTimeout(async () => {
      await run();
      scheduleNext();
    }, HOUR_MS - (now % HOUR_MS));
    timer.unref?.();
  };
  const first = setTimeout(run, 5_000);
  first.unref?.();
  scheduleNext();
  return async () => {
    stopped = true;
    clearTimeout(first);
    if (timer) clearTimeout(timer);
    await running;
  };
}
