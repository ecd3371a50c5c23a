/**
 * A consistent copy of the Node server's libSQL file, safe while the server runs:
 *   npm run backup -- backups/tenor-2026-12-07.db
 * (the database of DATABASE_URL, default file:data/tenor.db). It runs SQLite's
 * `VACUUM INTO` from a read-only connection: one read transaction, so the copy is
 * the database as of one moment, with the WAL's committed pages folded in and
 * free pages left out; the server keeps reading and writing meanwhile. The copy
 * is an ordinary database file: restore it by stopping the server and putting it
 * in place of the file (removing the old file's -wal and -shm).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Sqlite from 'libsql';
import { isRemoteUrl, localPath } from '../src/db/node';

/** Copies the local database at `url` into the new file `target`. */
export function backupDatabase(url: string, target: string): void {
  if (isRemoteUrl(url)) throw new Error(`${url} is a libSQL server: back it up on that server`);
  const source = localPath(url);
  if (source === ':memory:' || !existsSync(source)) throw new Error(`no database file at ${source}`);
  const destination = resolve(target);
  if (existsSync(destination)) throw new Error(`${destination} exists: name a new file`);
  mkdirSync(dirname(destination), { recursive: true });
  const db = new Sqlite(source, { readonly: true });
  try {
    db.pragma('busy_timeout = 10000');
    db.prepare('vacuum into ?').run(destination);
  } finally {
    db.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const target = process.argv[2];
  if (!target) {
    console.error('usage: npm run backup -- <new file>   (copies DATABASE_URL, default file:data/tenor.db)');
    process.exit(1);
  }
  try {
    backupDatabase(process.env.DATABASE_URL ?? 'file:data/tenor.db', target);
    console.error(`backed up to ${resolve(target)}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
