/** One delivery run: its rows, its limits (time, statements, waits), its clock and its report. */
import type { Deps } from '../../db/context';
import type { Db } from '../../db/client';
import type { outboxEvents, webhookDeliveries, webhookSubscriptions } from '../../db/schema';

export type Subscription = typeof webhookSubscriptions.$inferSelect;
export type Delivery = typeof webhookDeliveries.$inferSelect;
export type OutboxEvent = typeof outboxEvents.$inferSelect;

/** One attempt waits at most this long for the receiver's response. */
export const ATTEMPT_TIMEOUT_MS = 10_000;
/** after a write the Worker keeps waitUntil work alive for 30 s: the budget plus one last attempt fits */
const DEFAULT_BUDGET_MS = 15_000;
/** D1 allows 1,000 statements per invocation; leave room for the rest of the request or job */
const DEFAULT_MAX_STATEMENTS = 500;
/** a retry due this soon (the first one, 5 s) is awaited within the run rather than left to the next run */
const DEFAULT_MAX_WAIT_MS = 6_000;
/** statements one attempt costs at most: the event read plus the recording batch */
const STATEMENTS_PER_ATTEMPT = 5;

export interface DeliveryOptions {
  /** only this owner's subscriptions (the run after a write) */
  ownerId?: number;
  /** stop starting new attempts after this much real time */
  budgetMs?: number;
  maxStatements?: number;
  /** await a retry falling due within this many ms instead of leaving it to the next run (0: never wait) */
  maxWaitMs?: number;
}

export interface DeliveryReport {
  /** subscriptions this run worked on */
  subscriptions: number;
  /** subscriptions another run was sending to */
  busy: number;
  attempts: number;
  succeeded: number;
  /** deliveries that used their last attempt in this run */
  failed: number;
  /** failed attempts with another one scheduled */
  retrying: number;
  errors: Array<{ subscriptionId: number; error: string }>;
  /** false when the time or statement budget stopped the run; the next run carries on */
  complete: boolean;
}

/** The limits and the clock of one run. The clock is `now` advanced by the real time spent, so tests can pass any `now`. */
export class Run {
  private readonly started = Date.now();
  statements = 0;
  complete = true;
  readonly report: DeliveryReport = { subscriptions: 0, busy: 0, attempts: 0, succeeded: 0, failed: 0, retrying: 0, errors: [], complete: true };
  readonly budgetMs: number;
  readonly maxStatements: number;
  readonly maxWaitMs: number;

  constructor(
    readonly deps: Deps,
    readonly now: number,
    options: DeliveryOptions,
  ) {
    this.budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
    this.maxStatements = options.maxStatements ?? DEFAULT_MAX_STATEMENTS;
    this.maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  }

  get db(): Db {
    return this.deps.database.db;
  }

  elapsed(): number {
    return Date.now() - this.started;
  }

  clock(): number {
    return this.now + this.elapsed();
  }

  /** Longer than any run can hold it (budget + a last attempt + a wait), so only a crashed run's lease ever expires. */
  leaseMs(): number {
    return this.budgetMs + ATTEMPT_TIMEOUT_MS + this.maxWaitMs + 60_000;
  }

  count(statements = 1): void {
    this.statements += statements;
  }

  /** Room for one more attempt (and the lease release after it); otherwise the run is marked incomplete. */
  canAttempt(): boolean {
    const ok = this.elapsed() < this.budgetMs && this.statements + STATEMENTS_PER_ATTEMPT + 1 <= this.maxStatements;
    if (!ok) this.complete = false;
    return ok;
  }
}
