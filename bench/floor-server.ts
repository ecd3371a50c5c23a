/**
 * The floors the scenarios are measured against, each a bare `node:http`
 * server started by bench/run.ts as a child process:
 *   F0 answers every request with a fixed body (the size of an S1 response):
 *      the HTTP floor.
 *   F1 answers a scenario's requests with the scenario's SQL through the
 *      synchronous libSQL API (statements prepared once) and JSON.stringify:
 *      the database floor. The owner comes from a token lookup, not a
 *      verification, and nothing is validated or logged.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { analyzeDatabase, openLocalClient, openLocalDatabase } from '../src/db/node';
import { todayIn } from '../src/domain/dates';
import type { Fixtures } from './lib/fixtures';
import type { FloorResponse } from './lib/scenario';
import { loadScenario } from './scenarios';

export interface FloorConfig {
  floor: 'F0' | 'F1';
  /** F1: the scenario whose SQL is served */
  scenario?: string;
  databaseUrl: string;
  fixturesPath: string;
  /** F0: the body to answer with */
  body?: string;
}

type Respond = (req: IncomingMessage) => FloorResponse;

function fixedBody(body: string): Respond {
  const answer: FloorResponse = { status: 200, body };
  return () => answer;
}

async function databaseFloor(config: FloorConfig): Promise<Respond> {
  const fixtures = JSON.parse(readFileSync(config.fixturesPath, 'utf8')) as Fixtures;
  // the planner statistics the Tenor server computes on start, so both run the same plans
  const database = openLocalDatabase(config.databaseUrl);
  await analyzeDatabase(database);
  await database.close();
  const db = openLocalClient(config.databaseUrl);
  const zones = new Map(db.prepare('select id, timezone from contract_owners').raw().all() as Array<[number, string]>);
  const scenario = loadScenario(config.scenario!);
  if (!scenario.databaseFloor) throw new Error(`${scenario.id} has no database floor`);
  const handle = scenario.databaseFloor(db, { todayOf: (ownerId) => todayIn(zones.get(ownerId) ?? 'UTC', Date.now()) });
  const owners = new Map(Object.entries(fixtures.tokens).map(([owner, token]) => [`Bearer ${token}`, Number(owner)]));
  return (req) => handle(new URL(req.url ?? '/', 'http://floor'), owners.get(req.headers.authorization ?? ''));
}

const config = JSON.parse(process.argv[2]!) as FloorConfig;
const respond = config.floor === 'F0' ? fixedBody(config.body ?? '{}') : await databaseFloor(config);
const server = createServer((req, res) => {
  const answer = respond(req);
  res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
  res.end(answer.body);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
