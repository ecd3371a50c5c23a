import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateWebhookSecret, secretKey, signWebhook, webhookBody, webhookHeaders } from '../../src/domain/webhook-signing';

afterEach(() => {
  vi.useRealTimers();
});

describe('webhook signing', () => {
  it('matches the published Standard Webhooks vector', async () => {
    const signature = await signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('produces headers the standardwebhooks library verifies, for any body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.jsonValue(), fc.integer({ min: 1, max: 10_000_000 }), async (type, data, eventId) => {
        const secret = generateWebhookSecret();
        const now = Date.now();
        const body = webhookBody(type, new Date(now).toISOString(), data);
        const headers = await webhookHeaders(secret, `evt_${eventId}_1`, now, body);
        expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
      }),
      { numRuns: 50 },
    );
  });

  it('is rejected for a tampered body, another secret or another id', async () => {
    const secret = generateWebhookSecret();
    const now = Date.now();
    const body = webhookBody('customer_contract.created', new Date(now).toISOString(), { id: 1 });
    const headers = await webhookHeaders(secret, 'evt_1_1', now, body);
    expect(() => new Webhook(secret).verify(body.replace('"id":1', '"id":2'), headers)).toThrow();
    expect(() => new Webhook(generateWebhookSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'evt_1_2' })).toThrow();
  });

  it('stamps the attempt time in whole seconds', async () => {
    const secret = generateWebhookSecret();
    const at = Date.UTC(2026, 10, 21, 9, 30, 5, 999);
    const headers = await webhookHeaders(secret, 'evt_9_3', at, '{}');
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(at / 1000)));
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(at);
    expect(new Webhook(secret).verify('{}', headers)).toEqual({});
    vi.setSystemTime(at + 10 * 60_000);
    expect(() => new Webhook(secret).verify('{}', headers)).toThrow(/too old/);
  });

  it('generates distinct whsec_ secrets of 32 random bytes', () => {
    const a = generateWebhookSecret();
    const b = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b);
    expect(secretKey(a)).toHaveLength(32);
  });

  it('refuses malformed secrets', () => {
    for (const bad of ['', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_', 'whsec_not base64!', 'whsec_AAAA']) {
      expect(() => secretKey(bad), bad).toThrow(/whsec_/);
    }
  });

  it('builds the Standard Webhooks body', () => {
    expect(JSON.parse(webhookBody('contract_profile.created', '2026-01-01T00:00:00.000Z', { id: 5 }))).toEqual({
      type: 'contract_profile.created',
      timestamp: '2026-01-01T00:00:00.000Z',
      data: { id: 5 },
    });
  });
});
