/**
 * Bearer JWT verification with jose: pinned algorithms, `exp` required, 30 s
 * clock tolerance, iss/aud when configured. Keys are imported once per config and
 * verified tokens are kept in a small bounded cache until they expire, because
 * verification is the most expensive step of a cheap request.
 */
import {
  type CryptoKey,
  createRemoteJWKSet,
  decodeProtectedHeader,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
  importJWK,
  importSPKI,
  jwtVerify,
  SignJWT,
} from 'jose';
import { type Config, ConfigError, hasVerificationKey } from '../config';
import { type Area, grantsScope } from '../domain/scopes';
import { TenorError } from '../errors';
import { HttpError } from './problem';

export type Access = 'read' | 'write';

export interface Principal {
  /** the caller (`sub`), recorded on writes */
  sub: string;
  scopes: ReadonlySet<string>;
  /** owner ids the caller may act for, or '*' for all */
  owners: readonly number[] | '*';
  /** the app client the token was issued to (`client_id`, RFC 9068, or `azp`), where there is one */
  client?: string;
}

const ASYMMETRIC_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'];
const CLOCK_TOLERANCE_SECONDS = 30;
const CACHE_LIMIT = 10_000;

const invalidToken = (detail: string) =>
  new HttpError('unauthorized', detail, { 'www-authenticate': 'Bearer error="invalid_token"' });

function hasScope(principal: Principal, area: Area, access: Access): boolean {
  return grantsScope(principal.scopes, `${area}:${access}`);
}

export function requireScope(principal: Principal, area: Area, access: Access): void {
  if (!hasScope(principal, area, access)) {
    throw new TenorError('forbidden', `This token lacks the scope ${area}:${access}`);
  }
}

function parseOwners(claim: unknown): readonly number[] | '*' {
  if (claim === undefined) return [];
  if (!Array.isArray(claim)) throw invalidToken('The owners claim must be an array');
  if (claim.includes('*')) return '*';
  const owners: number[] = [];
  for (const value of claim) {
    const n = typeof value === 'string' && /^[1-9]\d{0,15}$/.test(value) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) throw invalidToken('The owners claim holds an invalid owner id');
    owners.push(n);
  }
  return owners;
}

function principalFromClaims(payload: JWTPayload): Principal {
  const scope = payload.scope;
  if (scope !== undefined && typeof scope !== 'string') throw invalidToken('The scope claim must be a string');
  const client = typeof payload.client_id === 'string' ? payload.client_id : typeof payload.azp === 'string' ? payload.azp : undefined;
  return {
    sub: typeof payload.sub === 'string' ? payload.sub : 'unknown',
    scopes: new Set((scope ?? '').split(' ').filter(Boolean)),
    owners: parseOwners(payload.owners),
    ...(client !== undefined ? { client } : {}),
  };
}

interface KeySet {
  hmac?: CryptoKey;
  asymmetric?: JWTVerifyGetKey | { key: CryptoKey; alg: string };
}

/** A key given as a JWK (JSON) in a setting; one that cannot be imported is a misconfiguration naming the setting. */
async function importJwkSetting(setting: 'JWT_PUBLIC_KEY' | 'JWT_PRIVATE_KEY', text: string): Promise<{ key: CryptoKey; alg: string }> {
  try {
    const jwk = JSON.parse(text) as JWK;
    const alg = jwk.alg ?? (jwk.kty === 'RSA' ? 'RS256' : jwk.kty === 'EC' ? 'ES256' : 'EdDSA');
    return { key: (await importJWK(jwk, alg)) as CryptoKey, alg };
  } catch {
    throw new ConfigError([`${setting} is not a usable JWK`]);
  }
}

async function importPublicKey(text: string): Promise<{ key: CryptoKey; alg: string }> {
  if (text.trim().startsWith('{')) return importJwkSetting('JWT_PUBLIC_KEY', text);
  for (const alg of ASYMMETRIC_ALGORITHMS) {
    try {
      return { key: await importSPKI(text, alg), alg };
    } catch {
      // try the next algorithm family
    }
  }
  throw new ConfigError(['JWT_PUBLIC_KEY is neither a JWK nor an RSA, P-256 or Ed25519 SPKI PEM key']);
}

async function importHmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
}

const remoteKeySets = new Map<string, JWTVerifyGetKey>();

export class Authenticator {
  private keys: Promise<KeySet> | undefined;
  private readonly cache = new Map<string, { principal: Principal; expiresAt: number }>();

  constructor(private readonly config: Config) {}

  /** The settings that would make verification possible, when none is configured. */
  get missingKeyProblem(): TenorError | null {
    if (hasVerificationKey(this.config)) return null;
    return new TenorError('misconfigured', 'No token verification key is configured: set JWT_SECRET, JWT_JWKS_URL or JWT_PUBLIC_KEY');
  }

  private loadKeys(): Promise<KeySet> {
    this.keys ??= (async () => {
      const set: KeySet = {};
      if (this.config.JWT_SECRET) set.hmac = await importHmacKey(this.config.JWT_SECRET);
      if (this.config.JWT_JWKS_URL) {
        const url = this.config.JWT_JWKS_URL;
        let resolver = remoteKeySets.get(url);
        if (!resolver) {
          resolver = createRemoteJWKSet(new URL(url));
          remoteKeySets.set(url, resolver);
        }
        set.asymmetric = resolver;
      } else if (this.config.JWT_PUBLIC_KEY) {
        set.asymmetric = await importPublicKey(this.config.JWT_PUBLIC_KEY);
      }
      return set;
    })();
    return this.keys;
  }

  async authenticate(authorization: string | undefined, now = Date.now()): Promise<Principal> {
    const missing = this.missingKeyProblem;
    if (missing) throw missing;
    const match = authorization?.match(/^Bearer[ ]+([A-Za-z0-9\-_.]+)[ ]*$/i);
    if (!match?.[1]) throw invalidToken(authorization ? 'The Authorization header is not a Bearer token' : 'A Bearer token is required');
    const token = match[1];

    const hit = this.cache.get(token);
    if (hit && hit.expiresAt > now) return hit.principal;
    if (hit) this.cache.delete(token);

    const payload = await this.verify(token);
    const principal = principalFromClaims(payload);
    if (typeof payload.exp === 'number') {
      if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
      // keep until exp (without the tolerance) so a cached token never outlives its verification
      this.cache.set(token, { principal, expiresAt: payload.exp * 1000 });
    }
    return principal;
  }

  private async verify(token: string): Promise<JWTPayload> {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw invalidToken('The token is malformed');
    }
    const keys = await this.loadKeys();
    const options = {
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp'],
      ...(this.config.JWT_ISSUER ? { issuer: this.config.JWT_ISSUER } : {}),
      ...(this.config.JWT_AUDIENCE ? { audience: this.config.JWT_AUDIENCE } : {}),
    };
    try {
      if (alg === 'HS256' && keys.hmac) {
        return (await jwtVerify(token, keys.hmac, { ...options, algorithms: ['HS256'] })).payload;
      }
      if (alg && ASYMMETRIC_ALGORITHMS.includes(alg) && keys.asymmetric) {
        const a = keys.asymmetric;
        if (typeof a === 'function') return (await jwtVerify(token, a, { ...options, algorithms: ASYMMETRIC_ALGORITHMS })).payload;
        return (await jwtVerify(token, a.key, { ...options, algorithms: [a.alg] })).payload;
      }
    } catch (error) {
      const { code, claim } = error as { code?: string; claim?: string };
      if (code === 'ERR_JWT_EXPIRED') throw invalidToken('The token has expired');
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') throw invalidToken(`The token's ${claim ?? 'claims'} claim is not acceptable`);
      throw invalidToken('The token could not be verified');
    }
    throw invalidToken(`Tokens signed with ${alg ?? 'no algorithm'} are not accepted`);
  }
}

export interface TokenRequest {
  sub: string;
  scope: string;
  owners: Array<number | '*'>;
  ttlSeconds: number;
  /** the app client it is issued to (the `client_id` claim, RFC 9068) */
  clientId?: string;
}

/** Signs a token with JWT_SECRET (HS256) or JWT_PRIVATE_KEY (a JWK); null when Tenor holds no signing key. */
export async function signToken(config: Config, request: TokenRequest, now = Date.now()): Promise<string | null> {
  let key: CryptoKey | Uint8Array;
  let alg: string;
  if (config.JWT_PRIVATE_KEY) {
    ({ key, alg } = await importJwkSetting('JWT_PRIVATE_KEY', config.JWT_PRIVATE_KEY));
  } else if (config.JWT_SECRET) {
    alg = 'HS256';
    key = await importHmacKey(config.JWT_SECRET);
  } else {
    return null;
  }
  const issuedAt = Math.floor(now / 1000);
  let jwt = new SignJWT({ scope: request.scope, owners: request.owners, ...(request.clientId ? { client_id: request.clientId } : {}) })
    .setProtectedHeader({ alg, typ: 'JWT' })
    .setSubject(request.sub)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + request.ttlSeconds);
  if (config.JWT_ISSUER) jwt = jwt.setIssuer(config.JWT_ISSUER);
  if (config.JWT_AUDIENCE) jwt = jwt.setAudience(config.JWT_AUDIENCE);
  return jwt.sign(key);
}
