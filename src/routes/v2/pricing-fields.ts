/**
 * Field types shared by the pricing resources, so an amount in pence, a price in
 * major units, a quantity or a recurring charge is validated, stored and
 * documented the same way on every card and plan.
 *
 * Wire units (stored as integers, see services/pricing-fields.ts):
 * - pence (≤ 4 places): usage rate charges, values and minimums, defaultMinCharge,
 *   access charges, valueInPence;
 * - major units (≤ 6 places): rental rate and bolt-on prices;
 * - quantities (≤ 6 places): allowances, rounding increments;
 * - percentages (≤ 2 places): discounts (stored as hundredths of a percent, domain/pricing.ts).
 */
import { z } from '@hono/zod-openapi';
import type { ZodType } from 'zod';
import { rentalChargeProblems } from '../../domain/pricing';
import { isValidQuantity, MAX_QUANTITY, QUANTITY_DECIMALS } from '../../domain/quantity';
import { DISCOUNT_PERCENTAGE_PLACES, PERIODS_IN_ADVANCE, RENTAL_RATE_FREQUENCIES, RENTAL_RATE_TYPES } from '../../domain/rental-charges/model';
import { decimalPlaces, MAX_MAJOR } from '../../domain/money';
import { outputSchema } from '../../http/resource';
import { addProblems, entityId, isoDate, matching, money } from '../../http/schemas';
import { LETTERS } from '../../http/unicode-classes';
import type { BoltOnChargeFields } from '../../services/pricing-fields';

/** An amount in pence (minor units), at most 4 places (= whole micros). */
export const pence = (example: number, description: string) =>
  money(example, 4, 0).openapi({ description: `${description} In pence (minor units), up to 4 decimal places.` });

/** A price in major units (e.g. pounds), at most 6 places. */
export const majorPrice = (example: number, description: string, min = -MAX_MAJOR) =>
  money(example, 6, min).openapi({ description: `${description} In major units (e.g. pounds), up to 6 decimal places.` });

/** A non-negative quantity in the usage product's unit (seconds, megabytes, events), up to 6 places. */
export const quantity = (example: number, description: string, options: { positive?: boolean } = {}) =>
  z
    .number()
    .refine(isValidQuantity, { message: `must be a number from 0 to ${MAX_QUANTITY} with at most ${QUANTITY_DECIMALS} decimal places` })
    .refine((v) => !options.positive || v > 0, { message: 'must be greater than 0' })
    .openapi({ example, description: `${description} In the usage product's unit (seconds, megabytes or events), up to ${QUANTITY_DECIMALS} decimal places.` });

/** A whole number of units (initial periods, charge unit sizes). */
export const wholeUnits = (example: number, description: string, min = 0) =>
  z.number().int().min(min).max(1_000_000_000).openapi({ example, description });

export const percentage = (example: number, description: string) =>
  z
    .number()
    .min(0)
    .max(100)
    .refine((v) => decimalPlaces(v) <= DISCOUNT_PERCENTAGE_PLACES, { message: `must have at most ${DISCOUNT_PERCENTAGE_PLACES} decimal places` })
    .openapi({ example, description: `${description} 0..100, up to 2 decimal places.` });

/** Ledger code: letters, digits, `.`, `-`, `_`; 1..50 (Elevate's pattern). */
const NOMINAL_CODE_PATTERN = new RegExp(`^[0-9${LETTERS}.\\-_]+$`, 'u');

export const nominalCode = () =>
  matching(z.string().min(1).max(50), NOMINAL_CODE_PATTERN, 'may contain letters, digits, . - and _').openapi({ example: 'SALES-01QTR2' });

/** An opaque id of an object Tenor does not hold (supplier, supplier account, tax band): stored and returned as given. */
export const externalId = (description: string) => entityId(`${description} (an id in another system; not checked by Tenor)`);

/** The id of an existing item of a nested list: leave it out to add an item. */
export const itemId = () => entityId('The item’s id: give it (as read) to keep or change an item; leave it out to add one').nullish();

export const startDate = () => isoDate('2025-01-01').openapi({ description: 'First day it applies' });
export const endDate = () => isoDate('2025-12-31').openapi({ description: 'Last day it applies (inclusive); null = open-ended' }).nullish();

export const RentalRateTypeField = z.enum(RENTAL_RATE_TYPES).openapi({ description: 'Billed in ADVANCE or in ARREARS' });
export const PeriodsInAdvanceField = z.enum(PERIODS_IN_ADVANCE).openapi({ description: 'Periods billed in advance; required when rentalRateType is ADVANCE' });
export const RentalRateFrequencyField = z.enum(RENTAL_RATE_FREQUENCIES).openapi({ description: 'How often the charge recurs' });

// ─── bolt-on charges (usage rate cards, inclusive usage plans) ─────────────

export const BoltOnChargeItem = z
  .object({
    id: itemId(),
    price: majorPrice(5, 'The recurring bolt-on price.', 0),
    rentalRateType: RentalRateTypeField,
    periodsInAdvance: PeriodsInAdvanceField.nullish(),
    rentalRateFrequency: RentalRateFrequencyField,
    showOnInvoice: z.boolean().default(true).openapi({ example: true }),
    startDate: startDate(),
    endDate: endDate(),
  })
  .strict()
  .superRefine((v, ctx) => addProblems(ctx, rentalChargeProblems({ ...v, rentalRatePriceType: 'RENTAL' }))) satisfies z.ZodType<BoltOnChargeFields>;

export const BoltOnChargeOutput = outputSchema(BoltOnChargeItem, {}, 'BoltOnCharge', { audit: false });

/** A nested array field: at most `max` items, empty when left out. */
export const nestedArray = <T extends ZodType>(item: T, max: number, description: string) =>
  z.array(item).max(max).default([]).openapi({ description });
