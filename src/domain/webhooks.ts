/** Webhook rules: which events exist, which URLs may receive them, and when a failed delivery is tried again. */

export const WEBHOOK_EVENT_TYPES = [
  'customer_contract.created',
  'customer_contract.updated',
  'customer_contract.renewed',
  'customer_contract.expired',
  'customer_contract.terminated',
  'customer_contract.renewal_alert',
  'customer_contract.notice_period',
  'customer_contract.price_adapted',
  'contract_profile.created',
  'contract_profile.versioned',
  'inclusive_usage_balance.exhausted',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const DELIVERY_STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const ATTEMPT_TRIGGERS = ['SCHEDULED', 'MANUAL'] as const;
export type AttemptTrigger = (typeof ATTEMPT_TRIGGERS)[number];

/** Subscribes to every event type, including ones added later. */
export const ALL_EVENT_TYPES = '*';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Why a URL cannot receive webhooks, or null when it can: https anywhere, plain
 * http only to this machine (for development receivers), no credentials in the URL.
 */
export function webhookUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https URL';
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    return 'must be https (plain http is allowed only to localhost, 127.0.0.1 or [::1])';
  }
  if (url.username || url.password) return 'must not contain credentials';
  return null;
}

/** Why a list of event types is not a valid subscription, or null: known types without repeats, or ["*"] alone. */
export function eventTypesProblem(types: readonly string[]): string | null {
  if (types.length === 0) return 'must name at least one event type, or ["*"]';
  if (types.includes(ALL_EVENT_TYPES) && types.length > 1) return '"*" already means every event type and must stand alone';
  if (new Set(types).size !== types.length) return 'must not repeat an event type';
  return null;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Waits after the 1st, 2nd, … failed attempt (the Svix schedule, then daily). */
export const RETRY_DELAYS_MS: readonly number[] = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 24 * HOUR];

/** Attempts in all before a delivery is marked FAILED. */
export const MAX_DELIVERY_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** The wait before the next attempt after `failedAttempts` failures, or null when the delivery has failed for good. */
export function retryDelay(failedAttempts: number): number | null {
  if (failedAttempts < 1) throw new RangeError('retryDelay needs at least one failed attempt');
  return failedAttempts < MAX_DELIVERY_ATTEMPTS ? RETRY_DELAYS_MS[failedAttempts - 1]! : null;
}

export type DeliveryOutcome =
  | { status: 'SUCCEEDED'; nextAttemptAt: null }
  | { status: 'PENDING'; nextAttemptAt: number }
  | { status: 'FAILED'; nextAttemptAt: null };

/** Where a delivery stands after its `attemptNumber`-th attempt at `attemptAt` (epoch ms). */
export function deliveryOutcome(attemptNumber: number, succeeded: boolean, attemptAt: number): DeliveryOutcome {
  if (succeeded) return { status: 'SUCCEEDED', nextAttemptAt: null };
  const delay = retryDelay(attemptNumber);
  return delay === null ? { status: 'FAILED', nextAttemptAt: null } : { status: 'PENDING', nextAttemptAt: attemptAt + delay };
}

/** Only 2xx counts as received; redirects are not followed (the receiver must give its final URL). */
export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status <= 299;
}

/** The Standard Webhooks message id: the same for every attempt of one event to one subscription. */
export function webhookMessageId(eventId: number, subscriptionId: number): string {
  return `evt_${eventId}_${subscriptionId}`;
}
