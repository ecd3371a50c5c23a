/** POST /v1/authenticate against the signing-key settings (Node only: the Worker test runtime has one fixed configuration). */
import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { appClients } from '../../src/db/schema';
import { hashSecret, randomToken } from '../../src/domain/credentials';
import { expectProblem, Harness, signTestToken } from '../helpers/harness';
import { createRuntime } from '../helpers/runtime.node';

async function harnessWith(settings: Record<string, string>) {
  const runtime = await createRuntime(settings);
  return { runtime, h: new Harness(runtime) };
}

/** Stores a client the way POST /v1/app-clients does, for runtimes whose tokens the test cannot sign. */
async function storeClient(runtime: Awaited<ReturnType<typeof createRuntime>>) {
  const now = new Date().toISOString();
  const secret = randomToken(32);
  const salt = randomToken(16);
  const [row] = await runtime.deps.database.db
    .insert(appClients)
    .values({
      name: 'Stored',
      clientId: randomToken(16),
      secretHash: await hashSecret(salt, secret),
      secretSalt: salt,
      owners: ['*'],
      scope: 'admin:read',
      createdDate: now,
      updatedDate: now,
    })
    .returning();
  return { ...row!, secret };
}

describe('authenticate and signing keys', () => {
  it('answers 500 naming JWT_SECRET and JWT_PRIVATE_KEY when Tenor holds no signing key', async () => {
    const { runtime, h } = await harnessWith({ JWT_SECRET: '' });
    const client = await storeClient(runtime);
    const res = await h.request('POST', '/v1/authenticate', { body: { clientId: client.clientId, clientSecret: client.secret } });
    const problem = expectProblem(res, 500);
    expect(problem.type).toBe('https://tenor.dev/errors/misconfigured');
    expect(problem.detail).toContain('JWT_SECRET');
    expect(problem.detail).toContain('JWT_PRIVATE_KEY');
    expect(problem.token).toBeUndefined();
  });

  it('signs with JWT_PRIVATE_KEY, and the matching JWT_PUBLIC_KEY accepts the token', async () => {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true });
    const { runtime, h } = await harnessWith({
      JWT_SECRET: '',
      JWT_PRIVATE_KEY: JSON.stringify(await exportJWK(privateKey)),
      JWT_PUBLIC_KEY: JSON.stringify(await exportJWK(publicKey)),
    });
    const client = await storeClient(runtime);
    const res = await h.request('POST', '/v1/authenticate', { body: { clientId: client.clientId, clientSecret: client.secret } });
    expect(res.status, res.text).toBe(200);
    expect(JSON.parse(atob(res.body.token.split('.')[0].replaceAll('-', '+').replaceAll('_', '/'))).alg).toBe('EdDSA');
    const owners = await h.client(res.body.token).get('/v1/contract-owners');
    expect(owners.status, owners.text).toBe(200);
    expectProblem(await h.client(res.body.token).post('/v1/contract-owners', { name: 'X', availableFrom: '2025-01-01' }), 403);
  });

  it('answers 500 naming JWT_PUBLIC_KEY when it cannot be imported', async () => {
    for (const key of ['{not json', '{"kty":"RSA"}', 'not a PEM']) {
      const { h } = await harnessWith({ JWT_SECRET: '', JWT_PUBLIC_KEY: key });
      const problem = expectProblem(await h.client(await signTestToken()).get('/v1/contract-owners'), 500);
      expect(problem.type).toBe('https://tenor.dev/errors/misconfigured');
      expect(problem.detail).toContain('JWT_PUBLIC_KEY');
    }
  });

  it('answers 500 naming JWT_PRIVATE_KEY when it cannot be imported, and issues no token', async () => {
    const { runtime, h } = await harnessWith({ JWT_PRIVATE_KEY: '{"kty":"EC","crv":"P-256"}' });
    const client = await storeClient(runtime);
    const res = await h.request('POST', '/v1/authenticate', { body: { clientId: client.clientId, clientSecret: client.secret } });
    const problem = expectProblem(res, 500);
    expect(problem.type).toBe('https://tenor.dev/errors/misconfigured');
    expect(problem.detail).toContain('JWT_PRIVATE_KEY');
    expect(problem.token).toBeUndefined();
  });
});
