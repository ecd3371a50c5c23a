/**
 * Price adaptations as plain functions: no HTTP, no database.
 *
 * A price adaptation raises (or lowers) a contract's rental prices in steps:
 * - PERCENTAGE: each step multiplies the prices by 1 + p/100; steps compound.
 * - INDEX: an index series with one value per month (`YYYY-MM`); the prices follow
 *   it from the contract's start: after a step on date D they are the listed
 *   price × value(D) ÷ value(chain start).
 * Steps fall on a schedule: RENEWAL (the first day of each renewal of the
 * contract) or ANNIVERSARY (each yearly anniversary of the start of the
 * contract's renewal chain, day of month clamped as contract terms are:
 * 2024-02-29 → 2025-02-28, 2026-02-28, 2027-02-28, 2028-02-29). simPRO adds
 * explicit dated steps of one contract (`{Date, Amount}`, Amount a percentage),
 * which compound with the rest like PERCENTAGE steps.
 *
 * Index values (the decision where the brief leaves it open): the value "at" a
 * date is that of the latest month at or before the date's month that has a
 * value, so a yearly series (a value every January) holds all year, and a month
 * whose value has not been entered yet uses the latest earlier one. A step is
 * computed against the value the previous INDEX step of the same adaptation in
 * the chain used, or for the first one against the baseline, the value at the
 * chain's start date. When there is no value at or before the chain start (the
 * series begins later), the baseline is unknown: the step is PENDING — not
 * applied, reported, and tried again by every later run, which applies it (with
 * its own date) once a value at or before the start has been entered. A step
 * once applied is never recomputed: later corrections of the series apply from
 * the next step on (that step is computed against the value the previous one
 * recorded, so the product of all steps is always value(latest) ÷ baseline).
 *
 * Exactness: percentages have at most PERCENTAGE_PLACES decimals and are stored
 * as integer millionths of the whole (3 % = 30_000, 100 % = 1_000_000); index
 * values at most INDEX_VALUE_PLACES decimals, stored as integers (104.5 =
 * 104_500_000). A step's factor is an exact fraction of integers; the factor in
 * force on a day is the exact product of the factors of the steps on or before
 * it. The one rounding: an adapted price = listed price × factor, rounded to
 * ADAPTED_PRICE_PLACES places (the micro) with ADAPTED_PRICE_ROUNDING
 * (MATHEMATICAL, half away from zero), once, from the exact product — never step
 * by step, so no error accumulates. Factors are shown (events, charge lines)
 * rounded to FACTOR_DISPLAY_PLACES places, for reading only.
 */
import { addDays, addMonths, type IsoDate, isIsoDate, MAX_DATE, minDate, monthsFromAnchor } from './dates';
import { divRound, type Micros, type RoundingStyle, toScaled } from './money';

export const PRICE_ADAPTATION_TYPES = ['PERCENTAGE', 'INDEX'] as const;
export type PriceAdaptationType = (typeof PRICE_ADAPTATION_TYPES)[number];
export const PRICE_ADAPTATION_SCHEDULES = ['RENEWAL', 'ANNIVERSARY'] as const;
export type PriceAdaptationSchedule = (typeof PRICE_ADAPTATION_SCHEDULES)[number];
/** Where an applied step came from: the adaptation's schedule, or an explicit dated step (simPRO inflation). */
export const PRICE_STEP_SOURCES = ['RENEWAL', 'ANNIVERSARY', 'STEP'] as const;
export type PriceStepSource = (typeof PRICE_STEP_SOURCES)[number];

/** Decimal places of a percentage (3.1415 %). */
export const PERCENTAGE_PLACES = 4;
/** Stored units of 100 %: a stored percentage is millionths of the whole. */
const WHOLE = 1_000_000n;
/** A step may lower prices, but never to nothing: percentages lie in (−100, MAX_PERCENTAGE]. */
export const MAX_PERCENTAGE = 1000;
export const MIN_PERCENTAGE_EXCLUSIVE = -100;
/** Decimal places of an index value. */
export const INDEX_VALUE_PLACES = 6;
/** Largest index value (keeps the stored integer exact). */
export const MAX_INDEX_VALUE = 999_999_999;
/** At most this many monthly values in one series (a century). */
export const MAX_INDEX_VALUES = 1200;

export const ADAPTED_PRICE_PLACES = 6;
export const ADAPTED_PRICE_ROUNDING: RoundingStyle = 'MATHEMATICAL';
export const FACTOR_DISPLAY_PLACES = 9;
export const FACTOR_DISPLAY_ROUNDING: RoundingStyle = 'MATHEMATICAL';

/** 3 (percent) → 30_000 stored; RangeError beyond PERCENTAGE_PLACES decimals. */
export const percentageToStored = (percent: number): number => toScaled(percent, PERCENTAGE_PLACES);
export const storedToPercentage = (stored: number): number => stored / 10 ** PERCENTAGE_PLACES;
export const indexValueToStored = (value: number): number => toScaled(value, INDEX_VALUE_PLACES);
export const storedToIndexValue = (stored: number): number => stored / 10 ** INDEX_VALUE_PLACES;

/** Why a percentage (as sent) cannot be a step, or null. */
export function percentageProblem(percent: number): string | null {
  if (!Number.isFinite(percent)) return 'must be a number';
  if (percent <= MIN_PERCENTAGE_EXCLUSIVE || percent > MAX_PERCENTAGE) return `must be greater than ${MIN_PERCENTAGE_EXCLUSIVE} and at most ${MAX_PERCENTAGE}`;
  try {
    percentageToStored(percent);
  } catch {
    return `must have at most ${PERCENTAGE_PLACES} decimal places`;
  }
  return null;
}

/** Why an index value (as sent) cannot be used, or null. */
export function indexValueProblem(value: number): string | null {
  if (!Number.isFinite(value) || value <= 0 || value > MAX_INDEX_VALUE) return `must be greater than 0 and at most ${MAX_INDEX_VALUE}`;
  try {
    if (indexValueToStored(value) <= 0) return 'must be greater than 0';
  } catch {
    return `must have at most ${INDEX_VALUE_PLACES} decimal places`;
  }
  return null;
}

/** The fields a type needs (paths relative to the adaptation): PERCENTAGE its percentage and no index values; INDEX no percentage. */
export function priceAdaptationProblems(a: {
  type: PriceAdaptationType;
  percentage?: number | null;
  indexValues?: readonly { month: string }[] | null;
}): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  if (a.type === 'PERCENTAGE') {
    if (a.percentage == null) problems.push({ path: '/percentage', message: 'is required when type is PERCENTAGE' });
    if (a.indexValues?.length) problems.push({ path: '/indexValues', message: 'must be empty when type is PERCENTAGE' });
  } else if (a.percentage != null) {
    problems.push({ path: '/percentage', message: 'must be null when type is INDEX' });
  }
  const clash = a.indexValues ? indexSeriesProblem(a.indexValues) : null;
  if (clash) problems.push({ path: `/indexValues/${clash.index}/month`, message: clash.message });
  return problems;
}

// ---------------------------------------------------------------------------
// Exact factors

/** An exact positive fraction. */
export interface Factor {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

export const UNIT_FACTOR: Factor = { numerator: 1n, denominator: 1n };

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** numerator/denominator in lowest terms; both must be positive. */
export function factorOf(numerator: bigint | number, denominator: bigint | number): Factor {
  const n = BigInt(numerator);
  const d = BigInt(denominator);
  if (n <= 0n || d <= 0n) throw new RangeError('a factor is a positive fraction');
  const g = gcd(n, d);
  return { numerator: n / g, denominator: d / g };
}

export function multiplyFactors(a: Factor, b: Factor): Factor {
  return factorOf(a.numerator * b.numerator, a.denominator * b.denominator);
}

export function factorsEqual(a: Factor, b: Factor): boolean {
  return a.numerator * b.denominator === b.numerator * a.denominator;
}

/** 1 + p/100 for a stored percentage (3 % → 103/100). */
export function percentageFactor(storedPercentage: number): Factor {
  return factorOf(WHOLE + BigInt(storedPercentage), WHOLE);
}

/** current ÷ previous, both stored index values. */
export function indexFactor(current: number, previous: number): Factor {
  return factorOf(current, previous);
}

/** The factor for reading: rounded to FACTOR_DISPLAY_PLACES places (1.019230769 for 106/104). */
export function factorToNumber(factor: Factor): number {
  const scale = 10n ** BigInt(FACTOR_DISPLAY_PLACES);
  return Number(divRound(factor.numerator * scale, factor.denominator, FACTOR_DISPLAY_ROUNDING)) / Number(scale);
}

/**
 * A price (micros) times the factor, rounded once to ADAPTED_PRICE_PLACES places
 * (the micro) with ADAPTED_PRICE_ROUNDING. RangeError when the result is beyond
 * the exact range of a double.
 */
export function adaptPrice(price: Micros, factor: Factor): Micros {
  if (factor.numerator === factor.denominator) return price;
  const unit = 10n ** BigInt(6 - ADAPTED_PRICE_PLACES);
  const adapted = divRound(BigInt(price) * factor.numerator, factor.denominator * unit, ADAPTED_PRICE_ROUNDING) * unit;
  const n = Number(adapted);
  if (!Number.isSafeInteger(n)) throw new RangeError('the adapted price is too large to be represented exactly');
  return n;
}

/** A step applied to a contract: from its effective date on, prices are multiplied by its factor. */
export interface PriceStep {
  effectiveDate: IsoDate;
  factor: Factor;
}

/** The product of the factors of the steps effective on or before `date` (1 when none). */
export function factorOn(steps: readonly PriceStep[], date: IsoDate): Factor {
  let product = UNIT_FACTOR;
  for (const step of steps) if (step.effectiveDate <= date) product = multiplyFactors(product, step.factor);
  return product;
}

// ---------------------------------------------------------------------------
// Index series

export interface IndexValue {
  /** YYYY-MM */
  month: string;
  /** stored (INDEX_VALUE_PLACES decimals as an integer), positive */
  value: number;
}

const MONTH_SHAPE = /^\d{4}-(0[1-9]|1[0-2])$/;

export function isMonth(value: unknown): value is string {
  return typeof value === 'string' && MONTH_SHAPE.test(value) && value >= '0001-01';
}

export function monthOf(date: IsoDate): string {
  return date.slice(0, 7);
}

/** The value of the latest month at or before the date's month, or null when the series has none that early. */
export function indexValueAt(values: readonly IndexValue[], date: IsoDate): IndexValue | null {
  const month = monthOf(date);
  let best: IndexValue | null = null;
  for (const v of values) if (v.month <= month && (best === null || v.month > best.month)) best = v;
  return best;
}

/** Why a series cannot be used, or null: months unique (order does not matter). */
export function indexSeriesProblem(values: readonly { month: string }[]): { index: number; message: string } | null {
  const seen = new Map<string, number>();
  for (const [index, v] of values.entries()) {
    const first = seen.get(v.month);
    if (first !== undefined) return { index, message: `month ${v.month} is already given (item ${first})` };
    seen.set(v.month, index);
  }
  return null;
}

// ---------------------------------------------------------------------------
// When steps fall due

/** The dates of one contract of a renewal chain that decide its steps. */
export interface AdaptedContract {
  /** the start of the chain's first contract: anniversaries and the index baseline count from it */
  chainStartDate: IsoDate;
  startDate: IsoDate;
  /** null: open-ended */
  endDate: IsoDate | null;
  /** the contract renewed another one: a RENEWAL step falls on its start */
  isRenewal: boolean;
}

/** The k-th yearly anniversary of `start` (k ≥ 1), measured from the start so month ends never drift. */
export function anniversary(start: IsoDate, k: number): IsoDate {
  return addMonths(start, 12 * k);
}

/**
 * The schedule's step dates that fall in the contract's life [startDate, endDate]
 * and on or before `through`, in order. RENEWAL: the start of a renewal.
 * ANNIVERSARY: each anniversary of the chain start inside the life (never the
 * chain start itself).
 */
export function scheduledDates(contract: AdaptedContract, schedule: PriceAdaptationSchedule, through: IsoDate): IsoDate[] {
  const last = minDate(contract.endDate ?? MAX_DATE, through);
  if (last < contract.startDate) return [];
  if (schedule === 'RENEWAL') return contract.isRenewal ? [contract.startDate] : [];
  const dates: IsoDate[] = [];
  if (contract.startDate < contract.chainStartDate) return dates;
  // the first anniversary that can lie in the life: k with anniversary(k) ≥ startDate
  let k = Math.max(1, Math.floor(monthsFromAnchor(contract.chainStartDate, contract.startDate) / 12));
  for (let date = anniversary(contract.chainStartDate, k); date <= last; date = anniversary(contract.chainStartDate, ++k)) {
    if (date >= contract.startDate) dates.push(date);
    if (date === MAX_DATE) break;
  }
  return dates;
}

/** The first step date of the schedule in the contract's life after `after`, or null. */
export function nextScheduledDate(contract: AdaptedContract, schedule: PriceAdaptationSchedule, after: IsoDate): IsoDate | null {
  if (after >= MAX_DATE) return null;
  const end = contract.endDate ?? MAX_DATE;
  if (schedule === 'RENEWAL') return contract.isRenewal && contract.startDate > after && contract.startDate <= end ? contract.startDate : null;
  if (contract.startDate < contract.chainStartDate) return null;
  const from = addDays(after, 1) > contract.startDate ? addDays(after, 1) : contract.startDate;
  let k = Math.max(1, Math.floor(monthsFromAnchor(contract.chainStartDate, from) / 12));
  for (;; k++) {
    const date = anniversary(contract.chainStartDate, k);
    if (date > end) return null;
    if (date >= from) return date;
    if (date === MAX_DATE) return null;
  }
}

// ---------------------------------------------------------------------------
// Planning the steps due for one contract

export interface PriceAdaptationDefinition {
  id: number;
  type: PriceAdaptationType;
  /** stored; PERCENTAGE only */
  percentage: number | null;
  /** INDEX only */
  indexValues: readonly IndexValue[];
  schedule: PriceAdaptationSchedule;
}

/** An explicit dated step of one contract (simPRO inflation): `percentage` stored. */
export interface ExplicitStep {
  id: number;
  date: IsoDate;
  percentage: number;
}

/** A step already applied to a contract of the chain. */
export interface AppliedStep extends PriceStep {
  customerContractId: number;
  sourceKey: string;
  priceAdaptationId: number | null;
  indexMonth: string | null;
  /** stored */
  indexValue: number | null;
}

export interface PlannedStep extends PriceStep {
  source: PriceStepSource;
  /** with the contract and date, the step's identity: SCHEDULE, or STEP:<id> */
  sourceKey: string;
  priceAdaptationId: number | null;
  contractPriceStepId: number | null;
  /** stored; percentage steps */
  percentage: number | null;
  /** INDEX steps: the value used and the one it is measured against (the previous step's, or the baseline) */
  indexMonth: string | null;
  indexValue: number | null;
  previousIndexMonth: string | null;
  previousIndexValue: number | null;
  /** the factor in force from effectiveDate on: every step of the chain up to and including this one */
  cumulativeFactor: Factor;
}

export interface PendingStep {
  effectiveDate: IsoDate;
  sourceKey: string;
  reason: string;
}

export interface AdaptationPlan {
  steps: PlannedStep[];
  pending: PendingStep[];
  /** the next day a step may fall due (the day after `through` while one is pending); null: none ever */
  nextCheckDate: IsoDate | null;
}

export interface AdaptationPlanInput {
  customerContractId: number;
  contract: AdaptedContract;
  adaptation: PriceAdaptationDefinition | null;
  explicitSteps: readonly ExplicitStep[];
  /** the steps already applied to this contract and its predecessors */
  applied: readonly AppliedStep[];
  /** the day the plan is made for (the owner's today): steps on or before it are due */
  through: IsoDate;
}

export const SCHEDULE_KEY = 'SCHEDULE';
export const stepKey = (id: number): string => `STEP:${id}`;

interface Candidate {
  effectiveDate: IsoDate;
  sourceKey: string;
  source: PriceStepSource;
  step: ExplicitStep | null;
}

/**
 * The steps due for one contract on `through` that are not applied yet, in date
 * order (a scheduled step before an explicit one on the same day, explicit ones
 * by id), each with its exact factor; the steps that cannot be computed yet
 * (an index without a baseline); and when to look again.
 */
export function planAdaptation(input: AdaptationPlanInput): AdaptationPlan {
  const { contract, adaptation, through } = input;
  const done = new Set(input.applied.filter((a) => a.customerContractId === input.customerContractId).map((a) => `${a.effectiveDate}|${a.sourceKey}`));
  const candidates: Candidate[] = [];
  if (adaptation) {
    for (const date of scheduledDates(contract, adaptation.schedule, through)) {
      candidates.push({ effectiveDate: date, sourceKey: SCHEDULE_KEY, source: adaptation.schedule, step: null });
    }
  }
  for (const step of [...input.explicitSteps].sort((a, b) => a.id - b.id)) {
    if (step.date <= through) candidates.push({ effectiveDate: step.date, sourceKey: stepKey(step.id), source: 'STEP', step });
  }
  candidates.sort((a, b) => (a.effectiveDate < b.effectiveDate ? -1 : a.effectiveDate > b.effectiveDate ? 1 : 0));

  const chain: PriceStep[] = [...input.applied];
  const indexed = input.applied.filter((a) => a.indexValue !== null && a.indexMonth !== null);
  const steps: PlannedStep[] = [];
  const pending: PendingStep[] = [];
  for (const c of candidates) {
    if (done.has(`${c.effectiveDate}|${c.sourceKey}`)) continue;
    const base = {
      effectiveDate: c.effectiveDate,
      source: c.source,
      sourceKey: c.sourceKey,
      priceAdaptationId: c.step ? null : adaptation!.id,
      contractPriceStepId: c.step?.id ?? null,
      percentage: null as number | null,
      indexMonth: null as string | null,
      indexValue: null as number | null,
      previousIndexMonth: null as string | null,
      previousIndexValue: null as number | null,
    };
    let factor: Factor;
    if (c.step) {
      base.percentage = c.step.percentage;
      factor = percentageFactor(c.step.percentage);
    } else if (adaptation!.type === 'PERCENTAGE') {
      if (adaptation!.percentage === null) {
        pending.push({ effectiveDate: c.effectiveDate, sourceKey: c.sourceKey, reason: 'the adaptation has no percentage' });
        continue;
      }
      base.percentage = adaptation!.percentage;
      factor = percentageFactor(adaptation!.percentage);
    } else {
      const previous = latestIndexStep(indexed, adaptation!.id, c.effectiveDate);
      const baseline = previous
        ? { month: previous.indexMonth!, value: previous.indexValue! }
        : indexValueAt(adaptation!.indexValues, contract.chainStartDate);
      const current = indexValueAt(adaptation!.indexValues, c.effectiveDate);
      if (baseline === null || current === null) {
        const month = baseline === null ? monthOf(contract.chainStartDate) : monthOf(c.effectiveDate);
        pending.push({ effectiveDate: c.effectiveDate, sourceKey: c.sourceKey, reason: `the index has no value for ${month} or any earlier month` });
        continue;
      }
      Object.assign(base, { indexMonth: current.month, indexValue: current.value, previousIndexMonth: baseline.month, previousIndexValue: baseline.value });
      factor = indexFactor(current.value, baseline.value);
      indexed.push({
        customerContractId: input.customerContractId,
        effectiveDate: c.effectiveDate,
        factor,
        sourceKey: c.sourceKey,
        priceAdaptationId: adaptation!.id,
        indexMonth: current.month,
        indexValue: current.value,
      });
    }
    chain.push({ effectiveDate: c.effectiveDate, factor });
    steps.push({ ...base, factor, cumulativeFactor: UNIT_FACTOR });
  }
  for (const s of steps) s.cumulativeFactor = factorOn(chain, s.effectiveDate);

  const next = [
    pending.length ? addDays(through, 1) : null,
    adaptation ? nextScheduledDate(contract, adaptation.schedule, through) : null,
    ...input.explicitSteps.map((s) => (s.date > through ? s.date : null)),
  ].filter((d): d is IsoDate => d !== null && isIsoDate(d));
  return { steps, pending, nextCheckDate: next.length ? next.reduce(minDate) : null };
}

/** The latest INDEX step of this adaptation before `date` among those applied or planned. */
function latestIndexStep(indexed: readonly AppliedStep[], adaptationId: number, date: IsoDate): AppliedStep | null {
  let best: AppliedStep | null = null;
  for (const a of indexed) {
    if (a.priceAdaptationId !== adaptationId || a.effectiveDate >= date) continue;
    if (best === null || a.effectiveDate > best.effectiveDate) best = a;
  }
  return best;
}
