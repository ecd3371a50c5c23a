/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the receiver
 * recomputes HMAC-SHA256 over `${id}.${timestamp}.${body}` with the shared
 * secret. WebCrypto only, so the same code runs in workerd and on Node.
 */

export const SECRET_PREFIX = 'whsec_';
export const SECRET_BYTES = 32;

const encoder = new TextEncoder();

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A new secret: `whsec_` + base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)));
}

/** The HMAC key a secret stands for: the base64 after `whsec_` decoded (24–64 bytes). */
export function secretKey(secret: string): Uint8Array {
  const key = secret.startsWith(SECRET_PREFIX) ? fromBase64(secret.slice(SECRET_PREFIX.length)) : null;
  if (!key || key.length < 24 || key.length > 64) throw new Error('A webhook secret must be whsec_ followed by base64 of 24 to 64 bytes');
  return key;
}

/** `v1,<base64 HMAC-SHA256 of "${id}.${timestamp}.${body}">` */
export async function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', secretKey(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`${id}.${timestampSeconds}.${body}`));
  return `v1,${toBase64(new Uint8Array(mac))}`;
}

/** The body every delivery carries: the event type, when it happened, and the object. */
export function webhookBody(type: string, timestamp: string, data: unknown): string {
  return JSON.stringify({ type, timestamp, data });
}

/** The three Standard Webhooks headers for one attempt (the timestamp is the attempt's, in seconds). */
export async function webhookHeaders(
  secret: string,
  id: string,
  attemptAtMs: number,
  body: string,
): Promise<{ 'webhook-id': string; 'webhook-timestamp': string; 'webhook-signature': string }> {
  const timestamp = Math.floor(attemptAtMs / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': await signWebhook(secret, id, timestamp, body),
  };
}
