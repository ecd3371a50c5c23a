import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bandCoverageProblems, clockMinutes, formatClock, type TimeBandPlanBand, WEEKDAYS } from '../../src/domain/time-band-plans';

const WEEKDAYS_MON_FRI = ['MON', 'TUE', 'WED', 'THU', 'FRI'] as const;

/** PEAK Mon–Fri 08:00–18:00, OFFPEAK other weekday hours, WEEKEND Sat–Sun (the spec's default plan). */
const STANDARD: TimeBandPlanBand[] = [
  { timeband: 'OFFPEAK', days: [...WEEKDAYS_MON_FRI], from: '00:00', to: '08:00' },
  { timeband: 'PEAK', days: [...WEEKDAYS_MON_FRI], from: '08:00', to: '18:00' },
  { timeband: 'OFFPEAK', days: [...WEEKDAYS_MON_FRI], from: '18:00', to: '24:00' },
  { timeband: 'WEEKEND', days: ['SAT', 'SUN'], from: '00:00', to: '24:00' },
];

describe('clock times', () => {
  it('reads HH:MM and 24:00, and nothing else', () => {
    expect(clockMinutes('00:00')).toBe(0);
    expect(clockMinutes('08:30')).toBe(510);
    expect(clockMinutes('23:59')).toBe(1439);
    expect(clockMinutes('24:00')).toBe(1440);
    for (const bad of ['24:01', '8:00', '08:60', '25:00', '0800', '08:00:00', '']) expect(clockMinutes(bad)).toBeNull();
    expect(formatClock(510)).toBe('08:30');
    expect(formatClock(1440)).toBe('24:00');
  });
});

describe('band coverage', () => {
  it('accepts the standard week and a single all-week band', () => {
    expect(bandCoverageProblems(STANDARD)).toEqual([]);
    expect(bandCoverageProblems([{ timeband: 'PEAK', days: [...WEEKDAYS], from: '00:00', to: '24:00' }])).toEqual([]);
  });

  it('names a gap by day and time', () => {
    const bands = STANDARD.map((b) => (b.from === '18:00' ? { ...b, from: '19:00' } : b));
    const problems = bandCoverageProblems(bands);
    expect(problems).toHaveLength(5);
    expect(problems[0]).toEqual({ path: '/bands', message: 'MON 18:00–19:00 is not covered by any band' });
  });

  it('names a missing end of day and a missing day', () => {
    const noSunday = STANDARD.map((b) => (b.timeband === 'WEEKEND' ? { ...b, days: ['SAT' as const], to: '23:00' } : b));
    expect(bandCoverageProblems(noSunday)).toEqual([
      { path: '/bands', message: 'SAT 23:00–24:00 is not covered by any band' },
      { path: '/bands', message: 'SUN 00:00–24:00 is not covered by any band' },
    ]);
  });

  it('names the band that overlaps another, with the overlapping time', () => {
    const bands: TimeBandPlanBand[] = [...STANDARD, { timeband: 'PEAK', days: ['WED'], from: '17:00', to: '19:30' }];
    expect(bandCoverageProblems(bands)).toEqual([
      { path: '/bands/4', message: 'overlaps band 1 on WED 17:00–18:00' },
      { path: '/bands/2', message: 'overlaps band 4 on WED 18:00–19:30' },
    ]);
  });

  it('rejects malformed times, reversed or midnight-crossing bands, repeated and missing days', () => {
    expect(bandCoverageProblems([{ timeband: 'PEAK', days: ['MON'], from: '8:00', to: '24:00' }])[0]).toEqual({
      path: '/bands/0/from',
      message: 'must be a time HH:MM from 00:00 to 23:59',
    });
    expect(bandCoverageProblems([{ timeband: 'PEAK', days: ['MON'], from: '18:00', to: '08:00' }])[0]!.path).toBe('/bands/0/to');
    expect(bandCoverageProblems([{ timeband: 'PEAK', days: ['MON'], from: '00:00', to: '00:00' }])[0]!.path).toBe('/bands/0/to');
    expect(bandCoverageProblems([{ timeband: 'PEAK', days: ['MON', 'MON'], from: '00:00', to: '24:00' }])).toContainEqual({
      path: '/bands/0/days',
      message: 'lists MON twice',
    });
    expect(bandCoverageProblems([{ timeband: 'PEAK', days: [], from: '00:00', to: '24:00' }])).toContainEqual({
      path: '/bands/0/days',
      message: 'must name at least one day',
    });
    expect(bandCoverageProblems([])).toHaveLength(7);
  });

  it('accepts any partition of each day into consecutive bands, and rejects it with one cut moved (property)', () => {
    const cuts = fc.uniqueArray(fc.integer({ min: 1, max: 1439 }), { maxLength: 6 }).map((c) => [0, ...c.sort((a, b) => a - b), 1440]);
    fc.assert(
      fc.property(fc.array(cuts, { minLength: 7, maxLength: 7 }), fc.nat(), (perDay, pick) => {
        const bands: TimeBandPlanBand[] = [];
        perDay.forEach((points, d) => {
          for (let i = 1; i < points.length; i++) {
            bands.push({ timeband: 'PEAK', days: [WEEKDAYS[d]!], from: formatClock(points[i - 1]!), to: formatClock(points[i]!) });
          }
        });
        expect(bandCoverageProblems(bands)).toEqual([]);
        // shortening one band by a minute leaves a gap, lengthening it (when a band follows) makes an overlap
        const index = pick % bands.length;
        const band = bands[index]!;
        const to = clockMinutes(band.to)!;
        if (to - clockMinutes(band.from)! > 1) {
          const shorter = bands.map((b, i) => (i === index ? { ...b, to: formatClock(to - 1) } : b));
          expect(bandCoverageProblems(shorter).some((p) => p.message.includes('not covered'))).toBe(true);
        }
        if (to < 1440) {
          const longer = bands.map((b, i) => (i === index ? { ...b, to: formatClock(to + 1) } : b));
          expect(bandCoverageProblems(longer).some((p) => p.message.includes('overlaps'))).toBe(true);
        }
      }),
    );
  });
});
