/**
 * A gate for heavy requests of one kind: at most `limit` run at once in this
 * process (or isolate); the rest wait their turn in arrival order, before their
 * bodies are read.
 *
 * Why: on Node the embedded database is synchronous, so requests share one event
 * loop. Sixteen batches of 1,000 usage records admitted at once are each parsed,
 * validated and priced a step at a time, in turns: every one finishes late (each
 * waits for all the others' steps), and all sixteen bodies and their ratings are
 * in memory together. Admitted in order, each waits only for those ahead of it,
 * and only `limit` of them are in memory.
 */
import type { MiddlewareHandler } from 'hono';
import type { Config } from '../config';
import type { AppEnv } from './middleware';

export class Gate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error('a gate lets at least one through');
  }

  /** Resolves when the caller may run; it must call the returned release exactly once. */
  async enter(): Promise<() => void> {
    if (this.running < this.limit) this.running++;
    else await new Promise<void>((admit) => this.waiting.push(admit));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // the slot passes straight to the next in line, so a newcomer cannot overtake it
      if (next) next();
      else this.running--;
    };
  }

  /** how many run, and how many wait (tests, metrics) */
  get state(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}

/**
 * Route middleware: the handler (with its body validation) runs inside a gate of
 * `limitOf(config)`, one per configuration (a process, or an isolate). A request
 * whose client went away while it waited is not run (499, as proxies log it):
 * nobody would read its answer, and a client that gave up retries.
 */
export function gated(limitOf: (config: Config) => number): MiddlewareHandler<AppEnv> {
  const gates = new WeakMap<Config, Gate>();
  return async (c, next) => {
    const config = c.get('deps').config;
    let gate = gates.get(config);
    if (!gate) gates.set(config, (gate = new Gate(limitOf(config))));
    // asked for before waiting: the Node adapter only aborts a signal that exists when the client leaves
    const signal = c.req.raw.signal;
    const release = await gate.enter();
    if (signal.aborted) {
      release();
      return c.body(null, CLIENT_CLOSED_REQUEST as never);
    }
    try {
      await next();
    } finally {
      release();
    }
  };
}

/** nginx's status for a request whose client closed the connection before the answer */
const CLIENT_CLOSED_REQUEST = 499;
