/**
 * The shapes a benchmark scenario takes. A scenario is either a load scenario
 * (HTTP requests from autocannon in a separate process, compared with a floor)
 * or a measure scenario (anything else that yields figures: a bundle size, a
 * job's wall time). bench/scenarios.ts lists them; bench/run.ts runs them.
 */
import type { LocalClient } from '../../src/db/node';
import type { DatasetSummary } from './dataset';
import type { Fixtures } from './fixtures';
import type { Random } from './random';

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'HEAD';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Makes the next request; built once per run inside the load process, so it may keep state. */
export type RequestGenerator = () => RequestSpec;

export interface FloorTools {
  /** the owner's calendar date now, as the app computes it */
  todayOf(ownerId: number): string;
}

export interface FloorResponse {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** The database floor's answer to one request: the scenario's SQL, prepared once, and JSON.stringify. */
export type FloorHandler = (url: URL, ownerId: number | undefined) => FloorResponse;

export interface Targets {
  /** scenario req/s ÷ floor req/s must be at least this */
  minFloorRatio?: number;
  /** p99 latency in ms must be at most this */
  maxP99Ms?: number;
  /** every request's latency in ms must be at most this (U1: no batch over 1 s) */
  maxLatencyMs?: number;
  /** a rate of something each request carries, e.g. { unit: 'records', perRequest: 1000, min: 20000 } for batches */
  minUnitsPerSecond?: { unit: string; perRequest: number; min: number };
}

export interface LoadScenario {
  kind: 'load';
  id: string;
  title: string;
  /** the request as the report names it, e.g. GET /v1/customer-contracts/{id} */
  request: string;
  makeRequests(fixtures: Fixtures, random: Random): RequestGenerator;
  /**
   * F1: the same requests against a bare server running `databaseFloor` (the
   * database floor); F0: the bare HTTP server answering a fixed body.
   */
  floor: 'F0' | 'F1';
  /** the database floor for this scenario's requests (needed when floor is F1) */
  databaseFloor?(db: LocalClient, tools: FloorTools): FloorHandler;
  targets: Targets;
  /** writes data: runs after the read-only scenarios */
  writes?: boolean;
}

export interface Check {
  label: string;
  /** e.g. "≥ 0.80 × F1" */
  target: string;
  /** the number in the target, in `unit` */
  limit: number;
  value: number;
  unit: string;
  pass: boolean;
}

export interface Figure {
  value: number;
  unit: string;
}

export interface MeasureResult {
  /** named figures, e.g. { raw: { value: 782.5, unit: 'KiB' } } */
  figures: Record<string, Figure>;
  floor?: { id: string; figure: Figure };
  ratio?: number;
  checks: Check[];
  /** how it was measured, printed under the table */
  notes?: string[];
}

/** What a measure scenario may use: the data set, the fixtures, a server, the load runner. */
export interface BenchContext {
  root: string;
  quick: boolean;
  /** the working copy of the seeded database (scenarios may write to it) */
  databaseUrl: string;
  dataset: DatasetSummary;
  fixtures: Fixtures;
  /** a scratch folder for this run */
  scratchDir: string;
  progress(message: string): void;
  /** a new copy of the seeded data set (as built, before any scenario wrote to it) in the scratch folder; its `file:` URL */
  freshCopy(name: string): string;
  /** starts the Tenor Node server (as the run starts it) on the working copy or on `databaseUrl`; stop() ends it */
  startApp(options?: { env?: Record<string, string>; databaseUrl?: string }): Promise<{ url: string; pid: number; stop(): Promise<void> }>;
}

export interface MeasureScenario {
  kind: 'measure';
  id: string;
  title: string;
  run(bench: BenchContext): Promise<MeasureResult>;
}

export type Scenario = LoadScenario | MeasureScenario;
