/**
 * Before `npm run dev`: makes sure .dev.vars (the Worker's local settings, not
 * committed) holds a JWT_SECRET, so the Worker under wrangler dev accepts the
 * tokens `npm run token` prints. A missing file is created from
 * .dev.vars.example with JWT_SECRET set to the development secret the Node server
 * and `npm run token` use (data/dev-jwt-secret, created if needed); an existing
 * file without JWT_SECRET gets that line added. A JWT_SECRET already there is
 * left alone (then run `JWT_SECRET=… npm run token`).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseConfig } from '../src/config';
import { withDevelopmentSecret } from '../src/dev-secret';

const FILE = '.dev.vars';
const EXAMPLE = '.dev.vars.example';

const secret = withDevelopmentSecret(parseConfig({ TENOR_ENV: 'development' })).JWT_SECRET!;
const secretLine = `JWT_SECRET=${secret}`;

if (!existsSync(FILE)) {
  const example = existsSync(EXAMPLE) ? readFileSync(EXAMPLE, 'utf8') : `${secretLine}\n`;
  writeFileSync(FILE, example.replace(/^JWT_SECRET=.*$/m, secretLine), { mode: 0o600 });
  console.error(`${FILE}: created with the development secret (data/dev-jwt-secret) that npm run token signs with`);
} else {
  const text = readFileSync(FILE, 'utf8');
  if (!/^\s*JWT_SECRET\s*=/m.test(text)) {
    writeFileSync(FILE, `${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${secretLine}\n`);
    console.error(`${FILE}: JWT_SECRET added (the development secret npm run token signs with)`);
  } else if (!text.includes(secretLine)) {
    console.error(`${FILE}: JWT_SECRET is your own; sign tokens for it with JWT_SECRET=… npm run token`);
  }
}
