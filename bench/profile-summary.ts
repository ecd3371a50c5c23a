/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, or `npm run bench -- --profile`):
 *   tsx bench/profile-summary.ts <file.cpuprofile> [--top 30] [--filter text]… [--callers name]…
 * Prints the functions with the most self time; the total (inclusive) time of
 * the functions whose name or file matches --filter; the callers of the
 * functions named by --callers; and self time by package or source folder.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '30' },
    filter: { type: 'string', multiple: true },
    callers: { type: 'string', multiple: true },
  },
});

const file = positionals[0];
if (!file) {
  console.error('usage: tsx bench/profile-summary.ts <file.cpuprofile> [--top 30] [--filter text]');
  process.exit(1);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const selfUs = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i]!;
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const totalUs = profile.endTime - profile.startTime;

function label(frame: CallFrame): string {
  const where = frame.url ? `${relative(process.cwd(), frame.url.replace(/^file:\/\//, ''))}:${frame.lineNumber + 1}` : '';
  return `${frame.functionName || '(anonymous)'} ${where}`.trim();
}

const selfByLabel = new Map<string, number>();
for (const [id, us] of selfUs) {
  const key = label(byId.get(id)!.callFrame);
  selfByLabel.set(key, (selfByLabel.get(key) ?? 0) + us);
}

const pct = (us: number) => `${((100 * us) / totalUs).toFixed(1).padStart(5)}%`;
const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
console.log(`${file}: ${(totalUs / 1e6).toFixed(1)} s sampled\n\nself time, top ${values.top}:`);
for (const [key, us] of [...selfByLabel].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
  console.log(`${ms(us)} ${pct(us)}  ${key}`);
}

// inclusive time: a sample counts once for every distinct matching frame on its stack
for (const filter of values.filter ?? []) {
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const key = label(byId.get(n)!.callFrame);
      if (!key.includes(filter) || seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  console.log(`\ninclusive time of frames matching "${filter}":`);
  for (const [key, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
    console.log(`${ms(us)} ${pct(us)}  ${key}`);
  }
}

// who calls a hot function: its self time split by the calling frame
for (const name of values.callers ?? []) {
  const byCaller = new Map<string, number>();
  for (const [id, us] of selfUs) {
    if (!label(byId.get(id)!.callFrame).includes(name)) continue;
    const up = parent.get(id);
    const key = up === undefined ? '(root)' : label(byId.get(up)!.callFrame);
    byCaller.set(key, (byCaller.get(key) ?? 0) + us);
  }
  console.log(`\nself time of "${name}" by caller:`);
  for (const [key, us] of [...byCaller].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
    console.log(`${ms(us)} ${pct(us)}  ${key}`);
  }
}

// self time by package (node_modules/<name>), Tenor source folder, or runtime
const byPackage = new Map<string, number>();
for (const [id, us] of selfUs) {
  const { url, functionName } = byId.get(id)!.callFrame;
  const path = url.startsWith('file://') ? relative(process.cwd(), url.slice('file://'.length)) : url;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
  const folder = /^((?:src|bench)(?:\/[^/]+)?)\/[^/]+$/.exec(path)?.[1] ?? (/^(src|bench)\/[^/]+$/.test(path) ? path.split('/')[0] : undefined);
  const key = pkg ?? folder ?? (path.startsWith('node:') ? 'node internals' : functionName || '(native)');
  byPackage.set(key, (byPackage.get(key) ?? 0) + us);
}
console.log('\nself time by package or folder:');
for (const [key, us] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
  console.log(`${ms(us)} ${pct(us)}  ${key}`);
}
