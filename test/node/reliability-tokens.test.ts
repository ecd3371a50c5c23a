/**
 * Tokens on every protected operation of the OpenAPI document (quality.md
 * §Reliability). Node only: it needs runtimes with other key settings (the
 * workerd test runtime has one fixed configuration).
 * - none, garbage, expired, not yet valid, `alg: none`, wrongly signed, HS256
 *   signed with the public key's bytes, wrong issuer or audience: 401 with
 *   `WWW-Authenticate: Bearer error="invalid_token"`;
 * - a valid token without the operation's scope: 403;
 * - no key configured: 500 naming the missing setting;
 * - the public routes answer without a token.
 */
import { type CryptoKey, exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { AREAS } from '../../src/domain/scopes';
import { type ApiResponse, Harness, signTestToken } from '../helpers/harness';
import { problemMismatch } from '../helpers/malformed';
import { fillPath, loadDocument, type Operation, pathParameters, requiredQuery, withQuery } from '../helpers/openapi';
import { createRuntime } from '../helpers/runtime.node';
import { TEST_JWT_SECRET } from '../helpers/secrets';

const ISSUER = 'https://issuer.tenor.test';
const AUDIENCE = 'tenor-api';
const INVALID_TOKEN = 'Bearer error="invalid_token"';

const standard = new Harness(await createRuntime());
const doc = await loadDocument(standard);
const protectedOps = doc.operations.filter((op) => op.secured);

const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const claims = { sub: 'token-test', scope: '*', owners: ['*'] };

/** A signed JWT with any header, claims and key (bytes for HS*, a CryptoKey otherwise). */
function sign(alg: string, key: Uint8Array | CryptoKey, extra: { iss?: string; aud?: string; exp?: number | null; nbf?: number } = {}) {
  let jwt = new SignJWT({ ...claims }).setProtectedHeader({ alg, typ: 'JWT' }).setSubject(claims.sub).setIssuedAt(now());
  if (extra.exp !== null) jwt = jwt.setExpirationTime(extra.exp ?? now() + 600);
  if (extra.nbf !== undefined) jwt = jwt.setNotBefore(extra.nbf);
  if (extra.iss) jwt = jwt.setIssuer(extra.iss);
  if (extra.aud) jwt = jwt.setAudience(extra.aud);
  return jwt.sign(key as never);
}

/**
 * Any id will do: authentication and scope are decided before anything is looked
 * up. Required query parameters are given (ids 1, documented examples), so an
 * accepted token meets the operation itself rather than a 400 for a missing one.
 */
function pathOf(op: Operation): string {
  return withQuery(fillPath(op.path, Object.fromEntries(pathParameters(op.path).map((p) => [p.name, 1]))), requiredQuery(op, () => 1));
}

function call(h: Harness, op: Operation, authorization?: string): Promise<ApiResponse> {
  return h.request(op.method, pathOf(op), { headers: authorization === undefined ? {} : { authorization } });
}

function expectInvalidToken(res: ApiResponse, op: Operation, what: string) {
  const wrong = problemMismatch(res, op.method, [401]);
  if (wrong) throw new Error(`${op.name} with ${what}: ${wrong}\n${res.text.slice(0, 300)}`);
  expect(res.headers.get('www-authenticate'), `${op.name} with ${what}`).toBe(INVALID_TOKEN);
}

function expectAccepted(res: ApiResponse, op: Operation, what: string) {
  expect(res.status, `${op.name} with ${what}: ${res.text.slice(0, 300)}`).not.toBe(401);
  expect(res.status, `${op.name} with ${what}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
}

interface KeyRuntimes {
  rsaPublic: Harness;
  ecPublicOnly: Harness;
  issuerAudience: Harness;
  noKey: Harness;
  rsaPrivate: CryptoKey;
  rsaPem: string;
  rsaJwk: string;
  ecPrivate: CryptoKey;
  ecPem: string;
  ecJwk: string;
  otherRsaPrivate: CryptoKey;
}
let k: KeyRuntimes;

beforeAll(async () => {
  const rsa = await generateKeyPair('RS256', { extractable: true });
  const ec = await generateKeyPair('ES256', { extractable: true });
  const otherRsa = await generateKeyPair('RS256');
  const rsaPem = await exportSPKI(rsa.publicKey);
  const ecPem = await exportSPKI(ec.publicKey);
  const ecJwk = JSON.stringify({ ...(await exportJWK(ec.publicKey)), alg: 'ES256' });
  k = {
    // both an HS256 secret and an RSA public key: the public key's bytes must not pass as the secret
    rsaPublic: new Harness(await createRuntime({ JWT_PUBLIC_KEY: rsaPem })),
    ecPublicOnly: new Harness(await createRuntime({ JWT_SECRET: '', JWT_PUBLIC_KEY: ecJwk })),
    issuerAudience: new Harness(await createRuntime({ JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE })),
    noKey: new Harness(await createRuntime({ JWT_SECRET: '' })),
    rsaPrivate: rsa.privateKey,
    rsaPem,
    rsaJwk: JSON.stringify(await exportJWK(rsa.publicKey)),
    ecPrivate: ec.privateKey,
    ecPem,
    ecJwk,
    otherRsaPrivate: otherRsa.privateKey,
  };
});

describe('every protected operation refuses a bad token with 401', () => {
  it('is every operation but POST /v1/authenticate', () => {
    expect(protectedOps.length).toBeGreaterThan(50);
    expect(doc.operations.filter((op) => !op.secured).map((op) => op.name)).toEqual(['POST /v1/authenticate']);
  });

  for (const op of protectedOps) {
    it(op.name, async () => {
      const secret = new TextEncoder().encode(TEST_JWT_SECRET);
      const header = b64({ alg: 'none', typ: 'JWT' });
      const cases: Array<[string, string | undefined, Harness]> = [
        ['no token', undefined, standard],
        ['garbage', 'Bearer garbage', standard],
        ['an empty bearer', 'Bearer ', standard],
        ['Basic credentials', `Basic ${Buffer.from('user:pass').toString('base64')}`, standard],
        ['a token in the wrong scheme', `Token ${await signTestToken()}`, standard],
        ['an expired token', `Bearer ${await sign('HS256', secret, { exp: now() - 120 })}`, standard],
        ['a token not yet valid', `Bearer ${await sign('HS256', secret, { nbf: now() + 600 })}`, standard],
        ['a token without exp', `Bearer ${await sign('HS256', secret, { exp: null })}`, standard],
        ['alg none', `Bearer ${header}.${b64({ ...claims, exp: now() + 600 })}.`, standard],
        ['alg none with a signature', `Bearer ${header}.${b64({ ...claims, exp: now() + 600 })}.${b64('sig')}`, standard],
        ['another secret', `Bearer ${await signTestToken({ secret: 'another-secret-that-is-long-enough-0123456789' })}`, standard],
        ['HS512 with the secret', `Bearer ${await sign('HS512', secret)}`, standard],
        ['owners that are not a list', `Bearer ${await signTestToken({ claims: { owners: 'all' } })}`, standard],
        ['a scope that is not text', `Bearer ${await signTestToken({ claims: { scope: ['*'] } })}`, standard],
        ['HS256 signed with the RSA public key (PEM)', `Bearer ${await sign('HS256', new TextEncoder().encode(k.rsaPem))}`, k.rsaPublic],
        ['HS256 signed with the RSA public key (JWK)', `Bearer ${await sign('HS256', new TextEncoder().encode(k.rsaJwk))}`, k.rsaPublic],
        ['RS256 signed by another key', `Bearer ${await sign('RS256', k.otherRsaPrivate)}`, k.rsaPublic],
        ['HS256 signed with the EC public key (JWK)', `Bearer ${await sign('HS256', new TextEncoder().encode(k.ecJwk))}`, k.ecPublicOnly],
        ['HS256 signed with the EC public key (PEM)', `Bearer ${await sign('HS256', new TextEncoder().encode(k.ecPem))}`, k.ecPublicOnly],
        ['HS256 with the secret, which this runtime does not hold', `Bearer ${await signTestToken()}`, k.ecPublicOnly],
        ['no issuer or audience', `Bearer ${await signTestToken()}`, k.issuerAudience],
        ['a wrong issuer', `Bearer ${await signTestToken({ issuer: 'https://elsewhere.test', audience: AUDIENCE })}`, k.issuerAudience],
        ['a wrong audience', `Bearer ${await signTestToken({ issuer: ISSUER, audience: 'another-api' })}`, k.issuerAudience],
      ];
      for (const [what, authorization, runtime] of cases) expectInvalidToken(await call(runtime, op, authorization), op, what);

      // the same runtimes accept a good token, so each 401 above was about the token
      expectAccepted(await call(standard, op, `Bearer ${await signTestToken()}`), op, 'a valid HS256 token');
      expectAccepted(await call(standard, op, `bearer ${await signTestToken()}`), op, 'a lower-case scheme');
      expectAccepted(await call(standard, op, `Bearer ${await sign('HS256', secret, { exp: now() - 10 })}`), op, 'a token expired within the clock tolerance');
      expectAccepted(await call(k.rsaPublic, op, `Bearer ${await sign('RS256', k.rsaPrivate)}`), op, 'a valid RS256 token');
      expectAccepted(await call(k.ecPublicOnly, op, `Bearer ${await sign('ES256', k.ecPrivate)}`), op, 'a valid ES256 token');
      expectAccepted(await call(k.issuerAudience, op, `Bearer ${await signTestToken({ issuer: ISSUER, audience: AUDIENCE })}`), op, 'the right issuer and audience');
    });
  }
});

/** who-am-I answers any valid token: it names the token's own claims, no owner's data */
const SCOPE_FREE = new Set(['GET /v1/me', 'HEAD /v1/me']);

describe('every protected operation needs its scope (403 without)', () => {
  it('but GET /v1/me, which any valid token may ask', async () => {
    expect(protectedOps.filter((op) => SCOPE_FREE.has(op.name)).map((op) => op.name).sort()).toEqual([...SCOPE_FREE].sort());
    for (const op of protectedOps.filter((o) => SCOPE_FREE.has(o.name))) {
      expect((await call(standard, op, `Bearer ${await signTestToken({ scope: '' })}`)).status, op.name).toBe(200);
    }
  });

  for (const op of protectedOps.filter((o) => !SCOPE_FREE.has(o.name))) {
    it(op.name, async () => {
      const statusWith = async (scope: string) => {
        const res = await call(standard, op, `Bearer ${await signTestToken({ scope })}`);
        if (res.status === 403) expect(problemMismatch(res, op.method, [403]), `${op.name} with scope "${scope}"`).toBeNull();
        return res.status;
      };
      const granting: string[] = [];
      for (const area of AREAS) if ((await statusWith(`${area}:*`)) !== 403) granting.push(area);
      expect(granting.length, `${op.name}: no area scope grants it`).toBeGreaterThan(0);
      const others = AREAS.filter((area) => !granting.includes(area));
      if (others.length) expect(await statusWith(others.map((area) => `${area}:*`).join(' ')), `${op.name} with every other area`).toBe(403);
      expect(await statusWith(''), `${op.name} with no scope`).toBe(403);
      for (const area of granting) {
        const read = await statusWith(`${area}:read`);
        const write = await statusWith(`${area}:write`);
        if (op.method === 'GET' || op.method === 'HEAD') {
          expect(read, `${op.name} with ${area}:read`).not.toBe(403);
          expect(write, `${op.name} with ${area}:write only`).toBe(403);
        } else {
          // a change needs one of the two, not both and not neither
          expect([read, write].filter((s) => s === 403), `${op.name} with ${area}:read (${read}) or ${area}:write (${write})`).toHaveLength(1);
        }
      }
    });
  }
});

describe('without a key configured', () => {
  it('answers every protected operation with a 500 naming the missing setting', async () => {
    for (const op of protectedOps) {
      for (const authorization of [undefined, `Bearer ${await signTestToken()}`]) {
        const res = await call(k.noKey, op, authorization);
        expect(problemMismatch(res, op.method, [500]), op.name).toBeNull();
        if (op.method !== 'HEAD') {
          expect(res.body.type).toBe('https://tenor.dev/errors/misconfigured');
          expect(res.body.detail, op.name).toMatch(/JWT_SECRET/);
        }
      }
    }
  });

  it('still answers the public routes', async () => {
    for (const path of ['/health', '/openapi.json', '/docs']) expect((await k.noKey.request('GET', path)).status, path).toBe(200);
    const res = await k.noKey.request('POST', '/v1/authenticate', { body: { clientId: 'someone', clientSecret: 'something' } });
    expect(problemMismatch(res, 'POST', [500]) ?? res.body.detail).toMatch(/JWT_SECRET/);
  });
});

describe('public routes', () => {
  it('answer without a token', async () => {
    await standard.init();
    for (const path of ['/health', '/openapi.json', '/docs']) expect((await standard.request('GET', path)).status, path).toBe(200);
    const client = await standard.admin.create('/v1/app-clients', { name: 'Token test', owners: ['*'], scope: 'admin:read' });
    const res = await standard.request('POST', '/v1/authenticate', { body: { clientId: client.clientId, clientSecret: client.clientSecret } });
    expect(res.status, res.text).toBe(200);
    expect((await standard.request('GET', '/v1/app-clients', { token: res.body.token })).status).toBe(200);
    for (const op of doc.operations.filter((o) => !o.secured)) {
      const answer = await call(standard, op);
      expect(answer.status, op.name).toBeLessThan(500);
      expect(answer.headers.get('www-authenticate'), op.name).toBeNull();
    }
  });
});
