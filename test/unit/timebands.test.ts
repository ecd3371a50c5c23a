import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileTimeBands,
  DEFAULT_TIME_BANDS,
  MAX_TIME_BANDS,
  splitByTimeband,
  timeBandPlanAt,
  timebandAt,
  validateTimeBandPlan,
  type TimeBand,
} from '../../src/domain/timebands';

const LONDON = 'Europe/London';
const AUCKLAND = 'Pacific/Auckland';
const utc = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

const MON_FRI = ['MON', 'TUE', 'WED', 'THU', 'FRI'] as const;
const DEFAULT_BANDS: TimeBand[] = [
  { timeband: 'OFFPEAK', days: MON_FRI, from: '00:00', to: '08:00' },
  { timeband: 'PEAK', days: MON_FRI, from: '08:00', to: '18:00' },
  { timeband: 'OFFPEAK', days: MON_FRI, from: '18:00', to: '24:00' },
  { timeband: 'WEEKEND', days: ['SAT', 'SUN'], from: '00:00', to: '24:00' },
];

/** Every day OFFPEAK, except Sunday from 01:30 (a boundary inside the London DST hour). */
const SUNDAY_0130 = compileTimeBands([
  { timeband: 'OFFPEAK', days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'], from: '00:00', to: '24:00' },
  { timeband: 'OFFPEAK', days: ['SUN'], from: '00:00', to: '01:30' },
  { timeband: 'WEEKEND', days: ['SUN'], from: '01:30', to: '24:00' },
]);

describe('timebandAt with the owner default', () => {
  // 2025-06-02 is a Monday; London is on BST (UTC+1), so local 08:00 = 07:00Z.
  it.each([
    ['2025-06-02T06:59:59.999Z', 'Mon 07:59:59.999 BST', 'OFFPEAK'],
    ['2025-06-02T07:00:00.000Z', 'Mon 08:00 BST', 'PEAK'],
    ['2025-06-02T16:59:59.999Z', 'Mon 17:59:59.999 BST', 'PEAK'],
    ['2025-06-02T17:00:00.000Z', 'Mon 18:00 BST', 'OFFPEAK'],
    ['2025-06-01T23:00:00.000Z', 'Mon 00:00 BST (still Sunday in UTC)', 'OFFPEAK'],
    ['2025-06-06T22:59:59.999Z', 'Fri 23:59:59.999 BST', 'OFFPEAK'],
    ['2025-06-06T23:00:00.000Z', 'Sat 00:00 BST (still Friday in UTC)', 'WEEKEND'],
    ['2025-06-07T11:00:00.000Z', 'Sat 12:00 BST', 'WEEKEND'],
    ['2025-06-08T22:59:59.999Z', 'Sun 23:59:59.999 BST', 'WEEKEND'],
  ])('%s (%s) is %s', (instant, _local, band) => {
    expect(timebandAt(utc(instant), LONDON)).toBe(band);
    expect(timebandAt(utc(instant), LONDON, DEFAULT_TIME_BANDS)).toBe(band);
  });

  it('07:59 and 08:00, 17:59 and 18:00 in winter (GMT = UTC)', () => {
    expect(timebandAt(utc('2025-01-06T07:59:00Z'), LONDON)).toBe('OFFPEAK');
    expect(timebandAt(utc('2025-01-06T08:00:00Z'), LONDON)).toBe('PEAK');
    expect(timebandAt(utc('2025-01-06T17:59:00Z'), LONDON)).toBe('PEAK');
    expect(timebandAt(utc('2025-01-06T18:00:00Z'), LONDON)).toBe('OFFPEAK');
  });

  it('the default compiled plan equals the written default', () => {
    expect(validateTimeBandPlan(DEFAULT_BANDS)).toEqual([]);
    for (let h = 0; h < 24 * 7; h++) {
      const at = utc('2025-01-06T00:30:00Z') + h * 3_600_000; // Monday 00:30 GMT, hour by hour
      expect(timebandAt(at, LONDON, compileTimeBands(DEFAULT_BANDS))).toBe(timebandAt(at, LONDON));
    }
  });
});

describe('timebandAt across DST in Europe/London', () => {
  it('the Monday after the clocks go forward (2025-03-30) peaks at 07:00Z, the Friday before at 08:00Z', () => {
    expect(timebandAt(utc('2025-03-28T07:30:00Z'), LONDON)).toBe('OFFPEAK'); // Fri 07:30 GMT
    expect(timebandAt(utc('2025-03-31T07:30:00Z'), LONDON)).toBe('PEAK'); // Mon 08:30 BST
    expect(timebandAt(utc('2025-03-31T06:59:00Z'), LONDON)).toBe('OFFPEAK'); // Mon 07:59 BST
  });

  it('on the spring-forward Sunday a 01:30 boundary, a time that never happens, takes effect at the jump (01:00Z)', () => {
    // 00:59:59 GMT is followed by 02:00:00 BST; 01:30 local is skipped.
    expect(timebandAt(utc('2025-03-30T00:59:59Z'), LONDON, SUNDAY_0130)).toBe('OFFPEAK');
    expect(timebandAt(utc('2025-03-30T01:00:00Z'), LONDON, SUNDAY_0130)).toBe('WEEKEND');
  });

  it('on the fall-back Sunday (2025-10-26) the repeated hour goes through 01:30 twice', () => {
    // 00:00Z = 01:00 BST, 00:30Z = 01:30 BST, 01:00Z = 01:00 GMT (again), 01:30Z = 01:30 GMT.
    expect(timebandAt(utc('2025-10-26T00:00:00Z'), LONDON, SUNDAY_0130)).toBe('OFFPEAK');
    expect(timebandAt(utc('2025-10-26T00:30:00Z'), LONDON, SUNDAY_0130)).toBe('WEEKEND');
    expect(timebandAt(utc('2025-10-26T01:00:00Z'), LONDON, SUNDAY_0130)).toBe('OFFPEAK');
    expect(timebandAt(utc('2025-10-26T01:30:00Z'), LONDON, SUNDAY_0130)).toBe('WEEKEND');
  });
});

describe('timebandAt in Pacific/Auckland (ahead of UTC)', () => {
  it('Monday 08:00 NZST is still Sunday in UTC (2025-06-01T20:00Z)', () => {
    expect(timebandAt(utc('2025-06-01T19:59:00Z'), AUCKLAND)).toBe('OFFPEAK'); // Mon 07:59 NZST (UTC+12)
    expect(timebandAt(utc('2025-06-01T20:00:00Z'), AUCKLAND)).toBe('PEAK'); // Mon 08:00 NZST
    expect(timebandAt(utc('2025-06-01T20:00:00Z'), 'UTC')).toBe('WEEKEND'); // the same instant on a UTC clock
  });

  it('Friday 18:00 NZST is Friday 06:00Z; Saturday starts at Friday 12:00Z', () => {
    expect(timebandAt(utc('2025-06-06T05:59:00Z'), AUCKLAND)).toBe('PEAK');
    expect(timebandAt(utc('2025-06-06T06:00:00Z'), AUCKLAND)).toBe('OFFPEAK');
    expect(timebandAt(utc('2025-06-06T11:59:00Z'), AUCKLAND)).toBe('OFFPEAK');
    expect(timebandAt(utc('2025-06-06T12:00:00Z'), AUCKLAND)).toBe('WEEKEND');
  });

  it('after the clocks go forward (2025-09-28, UTC+13) Monday 08:00 is 19:00Z, the week before 20:00Z', () => {
    expect(timebandAt(utc('2025-09-21T19:00:00Z'), AUCKLAND)).toBe('OFFPEAK'); // Mon 07:00 NZST
    expect(timebandAt(utc('2025-09-21T20:00:00Z'), AUCKLAND)).toBe('PEAK'); // Mon 08:00 NZST
    expect(timebandAt(utc('2025-09-28T18:59:00Z'), AUCKLAND)).toBe('OFFPEAK'); // Mon 07:59 NZDT
    expect(timebandAt(utc('2025-09-28T19:00:00Z'), AUCKLAND)).toBe('PEAK'); // Mon 08:00 NZDT
  });
});

describe('validateTimeBandPlan', () => {
  it('accepts the default and a plan ending at 24:00', () => {
    expect(validateTimeBandPlan(DEFAULT_BANDS)).toEqual([]);
    expect(validateTimeBandPlan([{ timeband: 'PEAK', days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'], from: '00:00', to: '24:00' }])).toEqual([]);
  });

  it('names each uncovered stretch by day and time', () => {
    const withoutWeekend = DEFAULT_BANDS.slice(0, 3);
    expect(validateTimeBandPlan(withoutWeekend)).toEqual([
      { path: '/bands', message: 'SAT 00:00–24:00 is not covered by any band' },
      { path: '/bands', message: 'SUN 00:00–24:00 is not covered by any band' },
    ]);
    const peakLate = [...DEFAULT_BANDS];
    peakLate[1] = { timeband: 'PEAK', days: ['MON'], from: '08:30', to: '18:00' };
    const issues = validateTimeBandPlan(peakLate);
    expect(issues).toContainEqual({ path: '/bands', message: 'MON 08:00–08:30 is not covered by any band' });
    expect(issues).toContainEqual({ path: '/bands', message: 'TUE 08:00–18:00 is not covered by any band' });
    expect(issues).toHaveLength(5); // MON 08:00–08:30 and the whole PEAK of TUE–FRI
  });

  it('names each overlap with both bands', () => {
    const bands = [...DEFAULT_BANDS, { timeband: 'PEAK' as const, days: ['MON' as const, 'SAT' as const], from: '17:00', to: '19:00' }];
    expect(validateTimeBandPlan(bands, '/timeBands')).toEqual([
      { path: '/timeBands/4', message: 'MON 17:00–18:00 is also covered by /timeBands/1' },
      { path: '/timeBands/4', message: 'MON 18:00–19:00 is also covered by /timeBands/2' },
      { path: '/timeBands/4', message: 'SAT 17:00–19:00 is also covered by /timeBands/3' },
    ]);
  });

  it('hints at 24:00 when a band stops at 23:59', () => {
    const bands = DEFAULT_BANDS.map((b) => (b.to === '24:00' ? { ...b, to: '23:59' } : b));
    expect(validateTimeBandPlan(bands)).toContainEqual({
      path: '/bands',
      message: 'MON 23:59–24:00 is not covered by any band (a band running to midnight ends at 24:00, not 23:59)',
    });
  });

  it('checks every field of every band', () => {
    const issues = validateTimeBandPlan([
      { timeband: 'NIGHT', days: ['MON', 'MON', 'XYZ'], from: '24:00', to: '8:00' },
      { timeband: 'PEAK', days: [], from: '18:00', to: '08:00' },
      { timeband: 'PEAK', days: ['SUN'], from: '09:00', to: '09:00' },
      'not a band',
    ]);
    expect(issues.map((i) => i.path)).toEqual([
      '/bands/0/timeband',
      '/bands/0/days/1',
      '/bands/0/days/2',
      '/bands/0/from',
      '/bands/0/to',
      '/bands/1/days',
      '/bands/1/to',
      '/bands/2/to',
      '/bands/3',
    ]);
    expect(issues[1]!.message).toBe('repeats MON');
    expect(issues[6]!.message).toMatch(/crossing midnight is written as two bands/);
  });

  it('refuses a non-array, an empty plan and an oversized plan', () => {
    expect(validateTimeBandPlan(null)).toHaveLength(1);
    expect(validateTimeBandPlan([])).toHaveLength(1);
    const many = Array.from({ length: MAX_TIME_BANDS + 1 }, () => DEFAULT_BANDS[0]!);
    expect(validateTimeBandPlan(many)).toEqual([{ path: '/bands', message: `must have at most ${MAX_TIME_BANDS} bands` }]);
  });

  it('compileTimeBands throws on an invalid plan', () => {
    expect(() => compileTimeBands(DEFAULT_BANDS.slice(1))).toThrow(RangeError);
  });
});

describe('splitByTimeband', () => {
  const seg = (s: { timeband: string; startMs: number; endMs: number }) => [s.timeband, iso(s.startMs), iso(s.endMs)];

  it('cuts a call over 18:00 at 18:00 local', () => {
    // Mon 2025-06-02 17:59:30 BST for 61 s: 30 s PEAK, 31 s OFFPEAK.
    const start = utc('2025-06-02T16:59:30Z');
    expect(splitByTimeband(start, start + 61_000, LONDON).map(seg)).toEqual([
      ['PEAK', '2025-06-02T16:59:30.000Z', '2025-06-02T17:00:00.000Z'],
      ['OFFPEAK', '2025-06-02T17:00:00.000Z', '2025-06-02T17:00:31.000Z'],
    ]);
  });

  it('merges OFFPEAK across midnight and cuts into the weekend', () => {
    // Mon 19:00 → Tue 07:00 BST is one OFFPEAK stretch.
    const night = utc('2025-06-02T18:00:00Z');
    expect(splitByTimeband(night, night + 12 * 3_600_000, LONDON).map(seg)).toEqual([
      ['OFFPEAK', '2025-06-02T18:00:00.000Z', '2025-06-03T06:00:00.000Z'],
    ]);
    // Fri 17:00 → Sat 01:00 BST: PEAK 1 h, OFFPEAK 6 h, WEEKEND 1 h.
    const friday = utc('2025-06-06T16:00:00Z');
    expect(splitByTimeband(friday, friday + 8 * 3_600_000, LONDON).map(seg)).toEqual([
      ['PEAK', '2025-06-06T16:00:00.000Z', '2025-06-06T17:00:00.000Z'],
      ['OFFPEAK', '2025-06-06T17:00:00.000Z', '2025-06-06T23:00:00.000Z'],
      ['WEEKEND', '2025-06-06T23:00:00.000Z', '2025-06-07T00:00:00.000Z'],
    ]);
  });

  it('cuts at the DST jump when the boundary time is skipped', () => {
    const start = utc('2025-03-30T00:50:00Z'); // 00:50 GMT, 30 minutes
    expect(splitByTimeband(start, start + 30 * 60_000, LONDON, SUNDAY_0130).map(seg)).toEqual([
      ['OFFPEAK', '2025-03-30T00:50:00.000Z', '2025-03-30T01:00:00.000Z'],
      ['WEEKEND', '2025-03-30T01:00:00.000Z', '2025-03-30T01:20:00.000Z'],
    ]);
  });

  it('follows the wall clock back into an earlier band when the clocks go back', () => {
    const start = utc('2025-10-26T00:00:00Z'); // 01:00 BST, two hours
    expect(splitByTimeband(start, start + 2 * 3_600_000, LONDON, SUNDAY_0130).map(seg)).toEqual([
      ['OFFPEAK', '2025-10-26T00:00:00.000Z', '2025-10-26T00:30:00.000Z'],
      ['WEEKEND', '2025-10-26T00:30:00.000Z', '2025-10-26T01:00:00.000Z'],
      ['OFFPEAK', '2025-10-26T01:00:00.000Z', '2025-10-26T01:30:00.000Z'],
      ['WEEKEND', '2025-10-26T01:30:00.000Z', '2025-10-26T02:00:00.000Z'],
    ]);
  });

  it('stops at maxSegments', () => {
    const start = utc('2025-06-02T00:00:00Z');
    expect(splitByTimeband(start, start + 14 * 86_400_000, LONDON, DEFAULT_TIME_BANDS, 3)).toHaveLength(3);
  });

  it('property: segments tile the call and agree with timebandAt (London, Auckland, New York)', () => {
    const from2025 = utc('2025-01-01T00:00:00Z');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 365 * 86_400 }),
        fc.integer({ min: 1, max: 3 * 86_400 }),
        fc.constantFrom(LONDON, AUCKLAND, 'America/New_York'),
        fc.boolean(),
        (startSecond, seconds, zone, custom) => {
          const plan = custom ? SUNDAY_0130 : DEFAULT_TIME_BANDS;
          const start = from2025 + startSecond * 1000;
          const end = start + seconds * 1000;
          const segments = splitByTimeband(start, end, zone, plan);
          expect(segments[0]!.startMs).toBe(start);
          expect(segments[segments.length - 1]!.endMs).toBe(end);
          segments.forEach((s, i) => {
            expect(s.endMs).toBeGreaterThan(s.startMs);
            if (i > 0) {
              expect(s.startMs).toBe(segments[i - 1]!.endMs);
              expect(s.timeband).not.toBe(segments[i - 1]!.timeband);
            }
            expect(timebandAt(s.startMs, zone, plan)).toBe(s.timeband);
            expect(timebandAt(s.endMs - 1, zone, plan)).toBe(s.timeband);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('timeBandPlanAt', () => {
  it('picks the plan effective on the date, the latest start winning', () => {
    const plans = [
      { timeBandPlanId: 1, startDate: '2025-01-01', endDate: null },
      { timeBandPlanId: 2, startDate: '2025-06-01', endDate: '2025-06-30' },
    ];
    expect(timeBandPlanAt(plans, '2024-12-31')).toBeNull();
    expect(timeBandPlanAt(plans, '2025-05-31')?.timeBandPlanId).toBe(1);
    expect(timeBandPlanAt(plans, '2025-06-15')?.timeBandPlanId).toBe(2);
    expect(timeBandPlanAt(plans, '2025-07-01')?.timeBandPlanId).toBe(1);
  });
});
