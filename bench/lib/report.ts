/**
 * The results of a run: `bench/results/<time>.json`, and for a full run also
 * `latest.json`, `latest.md` (a Markdown table) and `latest.svg` (a bar chart
 * drawn by hand: ratios to the floors, and each figure as a share of its budget).
 */
import type { DatasetSummary } from './dataset';
import type { LoadStats } from '../load';
import type { Check, Figure } from './scenario';

/** A check against a floor ratio (its unit is `× <floor>`): drawn in the ratio panel. */
const isRatioCheck = (c: Check) => c.label === 'req/s' || c.unit.startsWith('×');
/** Checks drawn as a share of their limit: minima (≥) and maxima (≤); exact counts are left to the table. */
const limitKind = (c: Check): 'min' | 'max' | null => (c.target.startsWith('≥') ? 'min' : c.target.startsWith('≤') ? 'max' : null);

export interface ScenarioResult {
  id: string;
  title: string;
  kind: 'load' | 'measure';
  /** load: the request */
  request?: string;
  load?: LoadStats;
  /** highest server RSS during this scenario, MiB */
  rssMiB?: number;
  figures?: Record<string, Figure>;
  floor?: { id: string; rps?: number; cpuMicros?: number; figure?: Figure };
  ratio?: number;
  /** floor CPU per request ÷ scenario CPU per request: the same comparison, far less disturbed by other load */
  cpuRatio?: number;
  checks: Check[];
  pass: boolean;
  /** how a measure was taken */
  notes?: string[];
  /** scenarios that failed to run */
  error?: string;
}

export interface FloorResult {
  id: string;
  title: string;
  load: LoadStats;
}

export interface ParityResult {
  scenario: string;
  same: boolean;
  /** an owner's date changed between the app's samples and the floor's: they select different days, so not compared */
  dateChanged?: boolean;
  app: string;
  floor: string;
}

export interface RunResults {
  startedAt: string;
  seconds: number;
  mode: 'full' | 'quick';
  only: string[] | null;
  machine: {
    cpus: number;
    cpuModel: string;
    node: string;
    platform: string;
    memoryGiB: number;
    /** 1-minute load average before the run started and when it ended (other work on the machine skews req/s) */
    loadAverage: { start: number; end: number };
  };
  /**
   * server: start runs the bundle `npm start` builds (esbuild) on plain node; tsx runs src/server.ts through tsx.
   * requestLog: the server's request log (LOG_REQUESTS) was on (absent in runs before it could be turned off: on).
   */
  settings: { connections: number; warmupSeconds: number; durationSeconds: number; server: 'start' | 'tsx'; requestLog?: boolean };
  dataset: DatasetSummary;
  floors: FloorResult[];
  scenarios: ScenarioResult[];
  server: { rssMaxMiB: number; check: Check };
  parity: ParityResult[];
  pass: boolean;
  /** the last full-length growth run (`--growth`), kept beside the full run's figures */
  growth?: GrowthResults;
}

/** One scenario (or its floor) at one data set size. */
export interface GrowthPoint {
  contracts: number;
  load?: LoadStats;
  rssMiB?: number;
  /** req/s ÷ the floor's req/s at this size */
  ratio?: number;
  /** the floor's CPU per request ÷ the scenario's at this size */
  cpuRatio?: number;
  /** the scenario's targets at this size (none for a floor) */
  checks: Check[];
  pass: boolean;
  error?: string;
}

export interface GrowthScenario {
  id: string;
  title: string;
  request: string;
  /** the app at each size, smallest first */
  points: GrowthPoint[];
  /** its F1 floor at each size */
  floorPoints: GrowthPoint[];
  /** req/s at the largest size ÷ req/s at the smallest */
  growth?: number;
  floorGrowth?: number;
  /** the targets held at every size */
  pass: boolean;
}

/** A growth run (`npm run bench -- --growth 100000,1000000`): the read scenarios and their floors at each size. */
export interface GrowthResults {
  startedAt: string;
  seconds: number;
  mode: 'full' | 'quick';
  only: string[] | null;
  machine: RunResults['machine'];
  settings: RunResults['settings'];
  /** each data set: its size, when it was seeded and how long that took, its file */
  sizes: Array<{ contracts: number; dueForRenewal: number; contractRows: number; today: string; seedSeconds: number; fileMiB: number; reused: boolean }>;
  scenarios: GrowthScenario[];
  server: { rssMaxMiB: number; check: Check };
  parity: Array<ParityResult & { contracts: number }>;
  pass: boolean;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (n: number) => fmt(n, 2);
/** A figure as measured: whole numbers without decimals, others with up to two. */
const figure = (n: number) => (Number.isInteger(n) ? fmt(n) : n.toLocaleString('en', { maximumFractionDigits: 2 }));
const mark = (pass: boolean) => (pass ? 'pass' : '**FAIL**');
/** pass, or FAIL naming the checks that failed */
const verdict = (checks: readonly Check[]) => {
  const failed = checks.filter((c) => !c.pass).map((c) => c.label);
  return failed.length === 0 ? 'pass' : `**FAIL** (${failed.join(', ')})`;
};
/** Checks shown with their own figure (the table has no column for it), e.g. records/s of a batch endpoint. */
const LOAD_COLUMNS = new Set(['req/s', 'p99', 'errors']);
const checkText = (c: Check) => (LOAD_COLUMNS.has(c.label) ? `${c.label} ${c.target}` : `${c.label} ${figure(Math.round(c.value * 100) / 100)} (${c.target})`);

export function markdown(r: RunResults): string {
  const lines: string[] = [];
  const m = r.machine;
  lines.push(`# Tenor benchmark — ${r.startedAt.slice(0, 10)}${r.mode === 'quick' ? ' (quick)' : ''}`);
  lines.push('');
  lines.push(
    `${fmt(r.dataset.contracts)} contracts (seed ${r.dataset.seed}, data as of ${r.dataset.today}); ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}. ` +
      `Server: ${r.settings.server === 'start' ? 'as npm start runs it (src/server.ts bundled by esbuild, plain node)' : 'src/server.ts through tsx'}. ` +
      `autocannon, ${r.settings.connections} connections, ${r.settings.warmupSeconds} s warm-up discarded, ${r.settings.durationSeconds} s measured; run took ${fmt(r.seconds)} s. ` +
      `Latencies in ms. Errors: non-2xx responses plus connection errors. CPU: the server process's CPU time per response. ` +
      `Ratio: req/s ÷ the floor's req/s (in brackets: the floor's CPU per response ÷ the scenario's, which other load on the machine disturbs less).`,
  );
  lines.push('');
  if (m.loadAverage.start > 0.5) {
    lines.push(
      `Note: the machine was busy before the run started (load average ${fmt(m.loadAverage.start, 2)}; ${fmt(m.loadAverage.end, 2)} at the end): req/s and latencies are low by an unknown share, the CPU ratios less so.`,
    );
    lines.push('');
  }
  const cpu = (l: LoadStats) => (l.cpuMicros !== undefined ? fmt(l.cpuMicros) : '—');
  lines.push('| scenario | req/s | p50 | p99 | errors | CPU µs/req | floor | ratio | target | pass |');
  lines.push('|---|--:|--:|--:|--:|--:|---|--:|---|---|');
  for (const s of r.scenarios.filter((x) => x.kind === 'load')) {
    if (s.error || !s.load) {
      lines.push(`| ${s.id} ${s.request ?? s.title} | — | — | — | — | — | — | — | — | **FAIL** (${s.error ?? 'no result'}) |`);
      continue;
    }
    const floor = s.floor?.rps !== undefined ? `${s.floor.id} ${fmt(s.floor.rps)}/s` : '—';
    const ratio = s.ratio !== undefined ? `${fmt(s.ratio, 2)}${s.cpuRatio !== undefined ? ` (${fmt(s.cpuRatio, 2)})` : ''}` : '—';
    const target = s.checks.map(checkText).join(', ');
    lines.push(
      `| ${s.id} \`${s.request}\` | ${fmt(s.load.rps)} | ${ms(s.load.p50)} | ${ms(s.load.p99)} | ${fmt(s.load.errors)} | ${cpu(s.load)} | ${floor} | ${ratio} | ${target} | ${verdict(s.checks)} |`,
    );
  }
  for (const f of r.floors) {
    lines.push(`| ${f.id} ${f.title} | ${fmt(f.load.rps)} | ${ms(f.load.p50)} | ${ms(f.load.p99)} | ${fmt(f.load.errors)} | ${cpu(f.load)} | — | — | — | — |`);
  }
  lines.push('');
  lines.push('| measure | figures | floor | ratio | target | pass |');
  lines.push('|---|---|---|--:|---|---|');
  for (const s of r.scenarios.filter((x) => x.kind === 'measure')) {
    if (s.error) {
      lines.push(`| ${s.id} ${s.title} | — | — | — | — | **FAIL** (${s.error}) |`);
      continue;
    }
    const figures = Object.entries(s.figures ?? {})
      .map(([k, f]) => `${k} ${figure(f.value)}${f.unit ? ` ${f.unit}` : ''}`)
      .join(', ');
    const floor = s.floor?.figure ? `${s.floor.id} ${figure(s.floor.figure.value)} ${s.floor.figure.unit}` : '—';
    const target = s.checks.map((c) => `${c.label}: ${c.target}`).join('; ');
    lines.push(`| ${s.id} ${s.title} | ${figures} | ${floor} | ${s.ratio !== undefined ? fmt(s.ratio, 2) : '—'} | ${target} | ${verdict(s.checks)} |`);
  }
  const rss = r.server.check;
  if (r.server.rssMaxMiB > 0) {
    lines.push(`| RSS server memory under load (highest over the load scenarios) | ${fmt(rss.value, 1)} MiB | — | — | ${rss.target} | ${mark(rss.pass)} |`);
  }
  lines.push('');
  for (const s of r.scenarios) for (const note of s.notes ?? []) lines.push(`- ${s.id}: ${note}`);
  if (r.scenarios.some((s) => s.notes?.length)) lines.push('');
  const parityFailures = r.parity.filter((p) => !p.same && !p.dateChanged);
  if (r.parity.length > 0) {
    lines.push(
      parityFailures.length === 0
        ? `Floor parity: the database floor returned the same rows and totals as the app for sampled requests of ${r.parity.filter((p) => p.same).map((p) => p.scenario).join(', ')}.${notCompared(r.parity)}`
        : `**Floor parity failed** for ${parityFailures.map((p) => `${p.scenario} (app ${p.app}, floor ${p.floor})`).join('; ')}.${notCompared(r.parity)}`,
    );
    lines.push('');
  }
  lines.push(`Overall: ${r.pass ? 'every target met' : '**some targets missed**'}.${r.mode === 'full' && !r.only ? ' Chart: latest.svg. Raw figures: latest.json.' : ''}`);
  if (r.growth) lines.push('', growthMarkdown(r.growth, 2).trimEnd());
  return `${lines.join('\n')}\n`;
}

/** The samples left uncompared because an owner's date changed between them. */
function notCompared(parity: readonly ParityResult[]): string {
  const skipped = parity.filter((p) => p.dateChanged).map((p) => p.scenario);
  return skipped.length ? ` Not compared: ${skipped.join(', ')} (an owner's date changed between the app's samples and the floor's).` : '';
}

const sizeLabel = (n: number) => (n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n % 1000 === 0 ? `${n / 1000}k` : fmt(n));

/** The growth run as Markdown: each read scenario and its floor at every size, side by side, and req/s at the largest ÷ at the smallest. */
export function growthMarkdown(g: GrowthResults, headingLevel = 1): string {
  const lines: string[] = [];
  const m = g.machine;
  const sizes = g.sizes.map((s) => s.contracts);
  const first = sizeLabel(sizes[0]!);
  const last = sizeLabel(sizes[sizes.length - 1]!);
  lines.push(`${'#'.repeat(headingLevel)} Tenor benchmark, growth — ${g.startedAt.slice(0, 10)}${g.mode === 'quick' ? ' (quick)' : ''}: ${sizes.map((n) => fmt(n)).join(' → ')} contracts`);
  lines.push('');
  lines.push(
    `The read scenarios and their database floors (F1) on data sets of ${sizes.map((n) => fmt(n)).join(' and ')} contracts ` +
      `(${g.sizes.map((s) => `${fmt(s.contracts)}: ${fmt(s.contractRows)} contract rows, ${fmt(s.fileMiB)} MiB, ${s.reused ? 'reused, seeded' : 'seeded'} in ${figure(s.seedSeconds)} s`).join('; ')}` +
      `${g.sizes.some((s) => s.dueForRenewal > 0) ? '; with the due-for-renewal set' : ''}). ` +
      `${m.cpus} × ${m.cpuModel}, Node ${m.node}; autocannon, ${g.settings.connections} connections, ${g.settings.warmupSeconds} s warm-up discarded, ` +
      `${g.settings.durationSeconds} s measured per load; request log ${g.settings.requestLog === false ? 'off' : 'on'}; run took ${fmt(g.seconds)} s. ` +
      `Per size: req/s, p50 and p99 in ms, ÷ F1 the ratio to the floor's req/s (in brackets: the floor's CPU per response ÷ the scenario's). ` +
      `Growth: req/s at ${last} ÷ req/s at ${first} (1.00 = flat).`,
  );
  lines.push('');
  if (m.loadAverage.start > 0.5) {
    lines.push(`Note: the machine was busy before the run started (load average ${fmt(m.loadAverage.start, 2)}; ${fmt(m.loadAverage.end, 2)} at the end).`);
    lines.push('');
  }
  const header = ['scenario'];
  const align = ['---'];
  for (const n of sizes) {
    const l = sizeLabel(n);
    header.push(`${l} req/s`, `${l} p50`, `${l} p99`, `${l} ÷ F1`);
    align.push('--:', '--:', '--:', '--:');
  }
  header.push(`growth ${last} ÷ ${first}`, 'targets at every size');
  align.push('--:', '---');
  lines.push(`| ${header.join(' | ')} |`);
  lines.push(`|${align.join('|')}|`);
  const cells = (p: GrowthPoint | undefined, withRatio: boolean) => {
    if (!p?.load) return ['—', '—', '—', '—'];
    const errors = p.load.errors > 0 ? ` (${fmt(p.load.errors)} errors)` : '';
    const ratio = withRatio && p.ratio !== undefined ? `${fmt(p.ratio, 2)}${p.cpuRatio !== undefined ? ` (${fmt(p.cpuRatio, 2)})` : ''}` : '—';
    return [`${fmt(p.load.rps)}${errors}`, ms(p.load.p50), ms(p.load.p99), ratio];
  };
  for (const s of g.scenarios) {
    const row = [`${s.id} \`${s.request}\``];
    for (const n of sizes) row.push(...cells(s.points.find((p) => p.contracts === n), true));
    const failed = sizes.flatMap((n) => {
      const p = s.points.find((x) => x.contracts === n);
      if (!p || p.error) return [`${sizeLabel(n)}: did not run`];
      const bad = p.checks.filter((c) => !c.pass).map((c) => c.label);
      return bad.length ? [`${sizeLabel(n)}: ${bad.join(', ')}`] : [];
    });
    row.push(s.growth !== undefined ? fmt(s.growth, 2) : '—', failed.length ? `**FAIL** (${failed.join('; ')})` : 'pass');
    lines.push(`| ${row.join(' | ')} |`);
  }
  for (const s of g.scenarios) {
    const row = [`F1 ${s.id} database floor`];
    for (const n of sizes) row.push(...cells(s.floorPoints.find((p) => p.contracts === n), false));
    row.push(s.floorGrowth !== undefined ? fmt(s.floorGrowth, 2) : '—', '—');
    lines.push(`| ${row.join(' | ')} |`);
  }
  lines.push('');
  lines.push(`Targets at each size (spec/quality.md): req/s ≥ 0.80 × F1, p99 ≤ 25 ms, no errors. Server RSS: highest ${fmt(g.server.rssMaxMiB, 1)} MiB (${g.server.check.target}: ${mark(g.server.check.pass)}).`);
  const parityFailures = g.parity.filter((p) => !p.same && !p.dateChanged);
  const skipped = g.parity.filter((p) => p.dateChanged).map((p) => ({ ...p, scenario: `${p.scenario} at ${fmt(p.contracts)}` }));
  lines.push(
    parityFailures.length === 0
      ? `Floor parity: the floors returned the same rows and totals as the app for sampled requests at every size.${notCompared(skipped)}`
      : `**Floor parity failed** for ${parityFailures.map((p) => `${p.scenario} at ${fmt(p.contracts)} (app ${p.app}, floor ${p.floor})`).join('; ')}.${notCompared(skipped)}`,
  );
  lines.push('');
  return `${lines.join('\n')}\n`;
}

interface Bar {
  label: string;
  value: number;
  /** where the target line is drawn (same scale as value) */
  target?: number;
  pass?: boolean;
  text: string;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Two panels of horizontal bars: req/s ÷ floor, and each limited figure as a share of its limit. */
export function svg(r: RunResults): string {
  const ratios: Bar[] = [];
  const budgets: Bar[] = [];
  for (const s of r.scenarios) {
    if (s.ratio !== undefined) {
      const ratioCheck = s.checks.find(isRatioCheck);
      ratios.push({
        label: `${s.id} ÷ ${s.floor?.id ?? 'floor'}`,
        value: s.ratio,
        ...(ratioCheck ? { target: ratioCheck.limit, pass: ratioCheck.pass } : {}),
        text: fmt(s.ratio, 2),
      });
    }
    for (const c of s.checks) {
      if (isRatioCheck(c) || limitKind(c) === null) continue;
      if (c.limit > 0) budgets.push({ label: `${s.id} ${c.label}`, value: c.value / c.limit, target: 1, pass: c.pass, text: `${figure(Math.round(c.value * 10) / 10)} ${c.unit}` });
    }
  }
  const rss = r.server.check;
  if (r.server.rssMaxMiB > 0) {
    budgets.push({ label: 'server RSS', value: rss.value / rss.limit, target: 1, pass: rss.pass, text: `${fmt(rss.value, 1)} MiB` });
  }

  const width = 760;
  const labelWidth = 150;
  const barArea = 480;
  const rowHeight = 24;
  const parts: string[] = [];
  let y = 20;
  parts.push(`<text x="10" y="${y}" class="title">Tenor benchmark ${escapeXml(r.startedAt.slice(0, 10))} — ${fmt(r.dataset.contracts)} contracts</text>`);
  y += 14;

  const panel = (title: string, bars: Bar[], max: number, tickLabel: (v: number) => string, ticks: number[]) => {
    y += 22;
    parts.push(`<text x="10" y="${y}" class="heading">${escapeXml(title)}</text>`);
    y += 10;
    const top = y;
    const bottom = top + bars.length * rowHeight;
    for (const t of ticks) {
      const tx = (labelWidth + (t / max) * barArea).toFixed(1);
      parts.push(`<line x1="${tx}" y1="${top}" x2="${tx}" y2="${bottom}" class="grid"/>`);
      parts.push(`<text x="${tx}" y="${bottom + 14}" text-anchor="middle" class="tick">${tickLabel(t)}</text>`);
    }
    for (const b of bars) {
      const w = Math.max(1, (Math.min(b.value, max) / max) * barArea);
      const colour = b.pass === undefined ? '#8a94a6' : b.pass ? '#2e8b57' : '#c0392b';
      parts.push(`<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end">${escapeXml(b.label)}</text>`);
      parts.push(`<rect x="${labelWidth}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowHeight - 8}" fill="${colour}"/>`);
      parts.push(`<text x="${(labelWidth + w + 6).toFixed(1)}" y="${y + 16}">${escapeXml(b.text)}${b.value > max ? ' ›' : ''}</text>`);
      if (b.target !== undefined) {
        const tx = labelWidth + (b.target / max) * barArea;
        parts.push(`<line x1="${tx.toFixed(1)}" y1="${y + 1}" x2="${tx.toFixed(1)}" y2="${y + rowHeight - 1}" class="target"/>`);
      }
      y += rowHeight;
    }
    y += 20;
  };

  panel('Throughput ÷ floor (black line: target)', ratios, 1.2, (v) => fmt(v, 1), [0, 0.2, 0.4, 0.6, 0.8, 1, 1.2]);
  panel('Each figure ÷ its target (black line): limits (p99, bundle, memory) left of it, minimum rates right of it', budgets, 1.5, (v) => `${fmt(v * 100)}%`, [0, 0.5, 1, 1.5]);
  if (r.growth) {
    const g = r.growth;
    const sizes = g.sizes.map((s) => s.contracts);
    const first = sizeLabel(sizes[0]!);
    const last = sizeLabel(sizes[sizes.length - 1]!);
    const atSizes: Bar[] = [];
    const p99s: Bar[] = [];
    const growth: Bar[] = [];
    for (const s of g.scenarios) {
      for (const p of s.points) {
        const ratioCheck = p.checks.find(isRatioCheck);
        if (p.ratio !== undefined) {
          atSizes.push({ label: `${s.id} at ${sizeLabel(p.contracts)} ÷ F1`, value: p.ratio, ...(ratioCheck ? { target: ratioCheck.limit, pass: ratioCheck.pass } : {}), text: fmt(p.ratio, 2) });
        }
        const p99 = p.checks.find((c) => c.label === 'p99');
        if (p99) p99s.push({ label: `${s.id} p99 at ${sizeLabel(p.contracts)}`, value: p99.value / p99.limit, target: 1, pass: p99.pass, text: `${figure(Math.round(p99.value * 10) / 10)} ms` });
      }
      if (s.growth !== undefined) growth.push({ label: `${s.id} ${last} ÷ ${first}`, value: s.growth, target: 1, text: fmt(s.growth, 2) });
      if (s.floorGrowth !== undefined) growth.push({ label: `F1 ${s.id} ${last} ÷ ${first}`, value: s.floorGrowth, target: 1, text: fmt(s.floorGrowth, 2) });
    }
    panel(`Growth ${g.startedAt.slice(0, 10)}: throughput ÷ F1 at ${sizes.map((n) => fmt(n)).join(' and ')} contracts (black line: target)`, atSizes, 1.2, (v) => fmt(v, 1), [0, 0.2, 0.4, 0.6, 0.8, 1, 1.2]);
    panel('Growth: p99 ÷ 25 ms at each size', p99s, 1.5, (v) => `${fmt(v * 100)}%`, [0, 0.5, 1, 1.5]);
    panel(`Growth: req/s at ${last} ÷ req/s at ${first} (black line: flat)`, growth, 1.2, (v) => fmt(v, 1), [0, 0.2, 0.4, 0.6, 0.8, 1, 1.2]);
  }
  y += 6;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" font-family="system-ui, sans-serif" font-size="12">`,
    '<style>.title{font-size:15px;font-weight:600}.heading{font-size:13px;font-weight:600}.tick{fill:#666;font-size:10px}.grid{stroke:#ddd;stroke-width:1}.target{stroke:#000;stroke-width:2}</style>',
    `<rect width="${width}" height="${y}" fill="#fff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
