import type { Deps } from '../db/context';
import { HOURLY, runScheduled } from './index';

const HOUR_MS = 60 * 60 * 1000;

/** Node: the hourly jobs shortly after start (catch-up after downtime) and then on every hour. */
export function startJobTimer(deps: Deps): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      await runScheduled(deps, HOURLY, deps.clock(), 'timer');
    } catch (error) {
      deps.log({ level: 'error', msg: 'scheduled run failed', error: String(error) });
    } finally {
      running = false;
    }
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
  return () => {
    clearTimeout(first);
    if (timer) clearTimeout(timer);
  };
}
