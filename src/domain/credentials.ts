/**
 * App-client credentials: random identifiers and secrets, the salted hash that is
 * all Tenor stores of a secret, and a comparison whose time does not depend on
 * where two values first differ.
 *
 * Why SHA-256 and not a slow password hash (scrypt, bcrypt, Argon2): slow hashes
 * exist to make guessing low-entropy human passwords expensive. A client secret
 * is 256 random bits, so guessing it is infeasible however fast the hash is,
 * while a deliberately slow hash would spend the Worker's CPU budget on every
 * POST /v1/authenticate. The random 16-byte salt keeps equal secrets from having
 * equal hashes and rules out precomputed tables.
 */
import { base64url } from 'jose';

export const CLIENT_ID_BYTES = 16;
export const CLIENT_SECRET_BYTES = 32;
export const SALT_BYTES = 16;

/** `bytes` random bytes from the platform CSPRNG, base64url-encoded. */
export function randomToken(bytes: number): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** base64url SHA-256 of UTF-8 text. */
export async function sha256(text: string): Promise<string> {
  return base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))));
}

/** base64url SHA-256 over salt + secret. */
export function hashSecret(salt: string, secret: string): Promise<string> {
  return sha256(salt + secret);
}

/** Equality of two strings in time that depends only on their lengths, not on their contents. */
export function constantTimeEqual(a: string, b: string): boolean {
  const length = Math.max(a.length, b.length);
  let difference = a.length ^ b.length;
  for (let i = 0; i < length; i++) difference |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  return difference === 0;
}

export interface NewSecret {
  secret: string;
  salt: string;
  hash: string;
}

/** A fresh 256-bit secret with its salt and hash; only salt and hash are kept. */
export async function newSecret(): Promise<NewSecret> {
  const secret = randomToken(CLIENT_SECRET_BYTES);
  const salt = randomToken(SALT_BYTES);
  return { secret, salt, hash: await hashSecret(salt, secret) };
}

/** Whether `secret` hashes, with `salt`, to `hash`; always does the full hash and comparison. */
export async function secretMatches(secret: string, salt: string, hash: string): Promise<boolean> {
  return constantTimeEqual(await hashSecret(salt, secret), hash);
}
