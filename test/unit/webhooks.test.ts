import { describe, expect, it } from 'vitest';
import {
  deliveryOutcome,
  eventTypesProblem,
  isSuccessStatus,
  MAX_DELIVERY_ATTEMPTS,
  retryDelay,
  webhookMessageId,
  webhookUrlProblem,
} from '../../src/domain/webhooks';

const S = 1000;
const M = 60 * S;
const H = 60 * M;

describe('retry schedule', () => {
  it('waits 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, then a day, and gives up after 8 attempts', () => {
    expect(MAX_DELIVERY_ATTEMPTS).toBe(8);
    expect([1, 2, 3, 4, 5, 6, 7].map(retryDelay)).toEqual([5 * S, 5 * M, 30 * M, 2 * H, 5 * H, 10 * H, 24 * H]);
    expect(retryDelay(8)).toBeNull();
    expect(retryDelay(9)).toBeNull();
    expect(() => retryDelay(0)).toThrow(RangeError);
  });

  it('gives a receiver about 41.6 hours to recover', () => {
    const total = [1, 2, 3, 4, 5, 6, 7].reduce((sum, n) => sum + retryDelay(n)!, 0);
    expect(total).toBe(5 * S + 5 * M + 30 * M + 41 * H);
  });

  it('settles a delivery on success or on the last failure, and schedules the next try otherwise', () => {
    const at = Date.UTC(2026, 0, 1);
    expect(deliveryOutcome(1, true, at)).toEqual({ status: 'SUCCEEDED', nextAttemptAt: null });
    expect(deliveryOutcome(8, true, at)).toEqual({ status: 'SUCCEEDED', nextAttemptAt: null });
    expect(deliveryOutcome(1, false, at)).toEqual({ status: 'PENDING', nextAttemptAt: at + 5 * S });
    expect(deliveryOutcome(7, false, at)).toEqual({ status: 'PENDING', nextAttemptAt: at + 24 * H });
    expect(deliveryOutcome(8, false, at)).toEqual({ status: 'FAILED', nextAttemptAt: null });
  });

  it('counts only 2xx as received', () => {
    expect([200, 201, 204, 299].every(isSuccessStatus)).toBe(true);
    expect([100, 199, 300, 301, 304, 400, 410, 429, 500, 503].some(isSuccessStatus)).toBe(false);
  });
});

describe('subscription rules', () => {
  it('accepts https anywhere and http only to this machine', () => {
    for (const ok of ['https://hooks.example.com/x', 'https://10.0.0.1:8443/x?y=1', 'http://localhost:9/x', 'http://127.0.0.1:3000/', 'http://[::1]:8080/h']) {
      expect(webhookUrlProblem(ok), ok).toBeNull();
    }
    expect(webhookUrlProblem('http://example.com/x')).toMatch(/https/);
    expect(webhookUrlProblem('http://localhost.example.com/x')).toMatch(/https/);
    expect(webhookUrlProblem('http://127.0.0.2/x')).toMatch(/https/);
    expect(webhookUrlProblem('ftp://example.com/x')).toMatch(/https/);
    expect(webhookUrlProblem('/relative')).toMatch(/absolute/);
    expect(webhookUrlProblem('not a url')).toMatch(/absolute/);
    expect(webhookUrlProblem('https://user:pass@example.com/x')).toMatch(/credentials/);
  });

  it('takes known types without repeats, or "*" alone', () => {
    expect(eventTypesProblem(['customer_contract.created'])).toBeNull();
    expect(eventTypesProblem(['*'])).toBeNull();
    expect(eventTypesProblem([])).toMatch(/at least one/);
    expect(eventTypesProblem(['*', 'customer_contract.created'])).toMatch(/alone/);
    expect(eventTypesProblem(['customer_contract.created', 'customer_contract.created'])).toMatch(/repeat/);
  });

  it('names a message by event and subscription', () => {
    expect(webhookMessageId(42, 7)).toBe('evt_42_7');
    expect(webhookMessageId(42, 8)).not.toBe(webhookMessageId(42, 7));
  });
});
