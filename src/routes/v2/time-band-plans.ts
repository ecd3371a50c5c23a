/**
 * Time band plans: how a contract owner's week divides into PEAK, OFFPEAK and
 * WEEKEND, used by usage rate cards to pick the rate of a call. The bands must
 * cover every minute of the week exactly once (400 naming each gap or overlap).
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { MAX_TIME_BANDS, TIMEBANDS, validateTimeBandPlan, WEEKDAYS } from '../../domain/timebands';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { addProblems, entityId, name } from '../../http/schemas';
import { type TimeBandPlanFields, timeBandPlanService } from '../../services/time-band-plans';

const Band = z
  .object({
    timeband: z.enum(TIMEBANDS),
    days: z.array(z.enum(WEEKDAYS)).max(7).openapi({ example: ['MON', 'TUE', 'WED', 'THU', 'FRI'] }),
    from: z.string().openapi({ example: '08:00', description: 'Local start time HH:MM (inclusive)' }),
    to: z.string().openapi({ example: '18:00', description: 'Local end time HH:MM (exclusive); 24:00 ends the day' }),
  })
  .strict()
  .openapi('TimeBand');

export const TimeBandPlanInput = z
  .object({
    contractOwnerId: entityId('The contract owner; fixed after creation'),
    name: name(100, 'Standard business week'),
    bands: z
      .array(Band)
      .min(1)
      .max(MAX_TIME_BANDS)
      .openapi({ description: "Bands in the owner's local time; together they cover Monday 00:00 to Sunday 24:00 exactly once" }),
  })
  .strict()
  .superRefine((plan, ctx) => {
    if (Array.isArray(plan.bands)) addProblems(ctx, validateTimeBandPlan(plan.bands));
  }) satisfies z.ZodType<TimeBandPlanFields>;

export const TimeBandPlan = outputSchema(TimeBandPlanInput, {}, 'TimeBandPlan');

export const STANDARD_WEEK_EXAMPLE = [
  { timeband: 'OFFPEAK', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], from: '00:00', to: '08:00' },
  { timeband: 'PEAK', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], from: '08:00', to: '18:00' },
  { timeband: 'OFFPEAK', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], from: '18:00', to: '24:00' },
  { timeband: 'WEEKEND', days: ['SAT', 'SUN'], from: '00:00', to: '24:00' },
];

export function registerTimeBandPlans(app: OpenAPIHono<AppEnv>) {
  registerResource(app, {
    path: '/v2/time-band-plans',
    tag: 'Time band plans',
    singular: 'time band plan',
    plural: 'time band plans',
    area: 'pricing',
    input: TimeBandPlanInput,
    output: TimeBandPlan,
    immutable: ['contractOwnerId'],
    service: timeBandPlanService,
    createExample: { contractOwnerId: 1, name: 'Standard business week', bands: STANDARD_WEEK_EXAMPLE },
    notes: {
      create: 'Each band: a time band, the days it applies to, and local from/to times (from inclusive, to exclusive, 24:00 = end of day; a band does not cross midnight). Every minute of the week must be covered exactly once; each gap or overlap is a 400 naming the day and time.',
      delete: 'Refused (409) while a usage rate card uses the plan.',
    },
  });
}
