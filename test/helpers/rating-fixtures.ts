/** Builders for the pure rating tests: a card, a rate, plans and a one-call `rate()`. */
import type {
  AllowanceBucket,
  ChargingType,
  InclusiveUsageComponent,
  InclusiveUsagePlan,
  PlanAssignment,
} from '../../src/domain/allowances/model';
import type { AssignmentLevel } from '../../src/domain/assignments';
import { minorToMicros } from '../../src/domain/money';
import { rateUsageRecord, type RatingResult, type UsageRate, type UsageRateCard } from '../../src/domain/rating';
import type { CompiledTimeBands } from '../../src/domain/timebands';

export const LONDON = 'Europe/London';
export const utc = (iso: string) => Date.parse(iso);
/** pence → micros */
export const p = (pence: number) => minorToMicros(pence);

/** Monday 2025-06-02 10:00 BST */
export const PEAK_TIME = utc('2025-06-02T09:00:00Z');
/** Monday 2025-06-02 21:00 BST */
export const OFFPEAK_TIME = utc('2025-06-02T20:00:00Z');
/** Saturday 2025-06-07 12:00 BST */
export const WEEKEND_TIME = utc('2025-06-07T11:00:00Z');

export function card(overrides: Partial<UsageRateCard> = {}): UsageRateCard {
  return {
    id: 10,
    decimalPlaces: 4,
    priceRoundingStyle: 'UP',
    defaultMinCharge: 0,
    applyCrossTimeBandCharging: false,
    defaultQuantityRoundingIncrement: null,
    defaultVariableChargeUnitSize: null,
    ...overrides,
  };
}

/** VARIABLE, per started 60 s: PEAK 5p, OFFPEAK 2p, WEEKEND 1p; no initial charges or minimums. */
export function rate(overrides: Partial<UsageRate> = {}): UsageRate {
  return {
    id: 20,
    chargeGroupId: 100,
    usageRateType: 'VARIABLE',
    peakInitialCharge: null,
    peakInitialPeriod: 0,
    peakValue: p(5),
    peakMinimum: null,
    offPeakInitialCharge: null,
    offPeakInitialPeriod: 0,
    offPeakValue: p(2),
    offPeakMinimum: null,
    weekendInitialCharge: null,
    weekendInitialPeriod: 0,
    weekendValue: p(1),
    weekendMinimum: null,
    quantityRoundingIncrement: 1,
    variableChargeUnitSize: 60,
    startDate: null,
    endDate: null,
    ...overrides,
  };
}

export function component(overrides: Partial<InclusiveUsageComponent> = {}): InclusiveUsageComponent {
  return {
    id: 1,
    componentType: 'QUANTITY',
    chargingType: 'DURATION',
    quantity: 600,
    value: null,
    timebands: [],
    chargeGroupIds: [],
    chargeGroupCategoryIds: [],
    ...overrides,
  };
}

export function plan(overrides: Partial<InclusiveUsagePlan> = {}): InclusiveUsagePlan {
  return {
    id: 1,
    frequency: 'MONTHLY',
    rolloverPeriods: null,
    minQualifyingQuantity: null,
    maxPerEventQuantity: null,
    components: [component()],
    ...overrides,
  };
}

export function assigned(
  id: number,
  p: InclusiveUsagePlan,
  level: AssignmentLevel = 'CUSTOMER',
  startDate = '2025-06-01',
  endDate: string | null = null,
): PlanAssignment {
  return { id, assignmentLevel: level, startDate, endDate, plan: p };
}

export interface RateOptions {
  card?: UsageRateCard | null;
  rate?: UsageRate | null;
  start?: number;
  cost?: number | null;
  plans?: PlanAssignment[];
  buckets?: AllowanceBucket[];
  chargeGroupId?: number;
  chargeGroupCategoryId?: number | null;
  chargingType?: ChargingType;
  timeZone?: string;
  timeBands?: CompiledTimeBands | null;
}

/** Rates one record with the fixtures above unless told otherwise. */
export function rateRecord(quantity: number, o: RateOptions = {}): RatingResult {
  return rateUsageRecord(
    {
      startTime: o.start ?? PEAK_TIME,
      quantity,
      cost: o.cost ?? null,
      chargeGroupId: o.chargeGroupId ?? 100,
      chargeGroupCategoryId: o.chargeGroupCategoryId === undefined ? 7 : o.chargeGroupCategoryId,
      chargingType: o.chargingType ?? 'DURATION',
    },
    {
      timeZone: o.timeZone ?? LONDON,
      card: o.card === undefined ? card() : o.card,
      rate: o.rate === undefined ? rate() : o.rate,
      timeBands: o.timeBands ?? null,
      planAssignments: o.plans ?? [],
      buckets: o.buckets ?? [],
    },
  );
}
