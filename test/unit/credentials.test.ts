import fc from 'fast-check';
import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { coversOwners } from '../../src/db/tenancy';
import { grantsScope, isValidScope } from '../../src/domain/scopes';
import { constantTimeEqual, hashSecret, newSecret, randomToken, secretMatches } from '../../src/domain/credentials';

describe('constantTimeEqual', () => {
  it('agrees with === on any pair of strings', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => constantTimeEqual(a, b) === (a === b)));
    fc.assert(fc.property(fc.string(), (a) => constantTimeEqual(a, a)));
  });

  it('tells apart prefixes, different lengths and a last-character change', () => {
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', 'a')).toBe(false);
    expect(constantTimeEqual('abcd', 'abce')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});

describe('secrets', () => {
  it('hashes salt + secret with SHA-256, base64url without padding', async () => {
    // SHA-256("abc") from FIPS 180-2
    expect(await hashSecret('a', 'bc')).toBe(base64url.encode(Uint8Array.from(Buffer.from('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', 'hex'))));
    expect(await hashSecret('a', 'bc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });

  it('makes random tokens of the asked size that do not repeat', () => {
    expect(randomToken(32)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken(16)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const many = new Set(Array.from({ length: 1000 }, () => randomToken(16)));
    expect(many.size).toBe(1000);
  });

  it('keeps only salt and hash, and the secret matches them while nothing else does', async () => {
    const a = await newSecret();
    const b = await newSecret();
    expect(a.secret).not.toBe(b.secret);
    expect(a.salt).not.toBe(b.salt);
    expect(await secretMatches(a.secret, a.salt, a.hash)).toBe(true);
    expect(await secretMatches(b.secret, a.salt, a.hash)).toBe(false);
    expect(await secretMatches(a.secret, b.salt, a.hash)).toBe(false);
    expect(await secretMatches(`${a.secret}x`, a.salt, a.hash)).toBe(false);
    // the same secret under two salts hashes differently
    expect(await hashSecret(a.salt, 'same')).not.toBe(await hashSecret(b.salt, 'same'));
  });
});

describe('scopes', () => {
  it('accepts space-separated known scopes only', () => {
    for (const ok of ['*', 'admin:*', 'customers:read', 'contracts:write pricing:read webhooks:*']) expect(isValidScope(ok), ok).toBe(true);
    for (const bad of ['', ' ', 'customers', 'customers:delete', 'billing:read', 'customers:read ', 'a:read  b:read', '*:read', 'Customers:read']) {
      expect(isValidScope(bad), bad).toBe(false);
    }
  });

  it('grants * ⊇ area:* ⊇ area:read and area:write, and nothing across areas', () => {
    const star = new Set(['*']);
    const customersAll = new Set(['customers:*']);
    const customersRead = new Set(['customers:read']);
    expect(grantsScope(star, '*')).toBe(true);
    expect(grantsScope(star, 'admin:write')).toBe(true);
    expect(grantsScope(customersAll, '*')).toBe(false);
    expect(grantsScope(customersAll, 'customers:*')).toBe(true);
    expect(grantsScope(customersAll, 'customers:write')).toBe(true);
    expect(grantsScope(customersAll, 'pricing:read')).toBe(false);
    expect(grantsScope(customersRead, 'customers:read')).toBe(true);
    expect(grantsScope(customersRead, 'customers:write')).toBe(false);
    expect(grantsScope(customersRead, 'customers:*')).toBe(false);
  });
});

describe('coversOwners', () => {
  it('covers a subset of explicit owners, and ["*"] only for a tenant of all owners', () => {
    expect(coversOwners({ owners: [1, 2] }, [2])).toBe(true);
    expect(coversOwners({ owners: [1, 2] }, [1, 2])).toBe(true);
    expect(coversOwners({ owners: [1, 2] }, [1, 3])).toBe(false);
    expect(coversOwners({ owners: [1, 2] }, ['*'])).toBe(false);
    expect(coversOwners({ owners: [] }, [1])).toBe(false);
    expect(coversOwners({ owners: '*' }, ['*'])).toBe(true);
    expect(coversOwners({ owners: '*' }, [7, 8])).toBe(true);
  });
});
