/**
 * Prints a signed token for local calls:
 *   npm run token -- --owners 1,2 --scope "*" [--sub me] [--ttl 3600]
 * Uses JWT_SECRET / JWT_PRIVATE_KEY from the environment, or in development the
 * secret the server generated in the data folder.
 */
import { parseArgs } from 'node:util';
import { ConfigError, parseConfig } from '../src/config';
import { withDevelopmentSecret } from '../src/dev-secret';
import { signToken } from '../src/http/auth';

const { values } = parseArgs({
  options: {
    owners: { type: 'string', default: '*' },
    scope: { type: 'string', default: '*' },
    sub: { type: 'string', default: 'developer' },
    ttl: { type: 'string', default: '3600' },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

try {
  // a local tool: it signs with the development secret `npm start` keeps unless a key or TENOR_ENV says otherwise
  const config = withDevelopmentSecret(parseConfig({ TENOR_ENV: 'development', ...process.env }));
  const owners = values.owners === '*' ? (['*'] as const) : values.owners.split(',').map((o) => Number(o.trim()));
  if (owners.some((o) => o !== '*' && (!Number.isSafeInteger(o) || o < 1))) fail('--owners takes "*" or a comma-separated list of owner ids');
  const ttl = Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl < 1) fail('--ttl takes a number of seconds');
  const token = await signToken(config, { sub: values.sub, scope: values.scope, owners: [...owners], ttlSeconds: ttl });
  if (!token) fail('No signing key: set JWT_SECRET (or JWT_PRIVATE_KEY), or run in development so a secret is generated');
  console.log(token);
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}
