/**
 * Contract profiles: term length and early termination charges. A change to the
 * term or the ETC creates a new version (201) so signed contracts keep the terms
 * they were signed on; rollover references follow to the new version.
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { MAX_ETC_PERCENTAGE } from '../../domain/etc';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { entityId, money, name } from '../../http/schemas';
import { MAX_NOTICE_PERIOD_DAYS } from '../../domain/terms';
import { type ContractProfileInput as ContractProfileFields, contractProfileService } from '../../services/contract-profiles';

export const ContractProfileInput = z
  .object({
    contractOwnerId: entityId('The contract owner'),
    name: name(100, '24 month business fibre'),
    contractTerm: z.number().int().min(1).max(600).openapi({ description: 'Term in months', example: 24 }),
    earlyTerminationFixedCharge: money(50, 6, 0).openapi({ description: 'Fixed ETC in major units (e.g. pounds)' }),
    earlyTerminationPercentageCharge: z
      .number()
      .int()
      .min(0)
      .max(MAX_ETC_PERCENTAGE)
      .openapi({ description: 'Percentage of the remaining rental value charged on early termination', example: 100 }),
    rolloverContractProfileId: entityId('Profile the contracts renew into at term end (may be this profile); null = they expire').nullish(),
    renewalAlertDays: z.number().int().min(0).max(28).default(28).openapi({ example: 28 }),
    noticePeriodDays: z.number().int().min(0).max(MAX_NOTICE_PERIOD_DAYS).default(30).openapi({ example: 30 }),
  })
  .strict() satisfies z.ZodType<ContractProfileFields>;

export const ContractProfile = outputSchema(
  ContractProfileInput,
  {
    supersededByContractProfileId: entityId('read-only: the newer version that replaced this one').nullable(),
    versionNumber: z.number().int().openapi({ description: 'read-only: 1 for a new profile, +1 per new version', example: 1 }),
  },
  'ContractProfile',
);

export function registerContractProfiles(app: OpenAPIHono<AppEnv>) {
  registerResource(app, {
    path: '/v1/contract-profiles',
    tag: 'Contract profiles',
    singular: 'contract profile',
    plural: 'contract profiles',
    area: 'contracts',
    input: ContractProfileInput,
    output: ContractProfile,
    immutable: ['contractOwnerId'],
    service: contractProfileService,
    createExample: {
      contractOwnerId: 1,
      name: '24 month business fibre',
      contractTerm: 24,
      earlyTerminationFixedCharge: 50,
      earlyTerminationPercentageCharge: 100,
      renewalAlertDays: 28,
      noticePeriodDays: 30,
    },
    updateCreates: 'The new version of the contract profile (the change made one)',
    notes: {
      update:
        'Changing contractTerm, earlyTerminationFixedCharge or earlyTerminationPercentageCharge creates a new version (201 with its Location); contracts keep the version they were signed on, and profiles and current contracts rolling over into the old version move to the new one. Patching a superseded version is a 409 naming the current one.',
      delete: 'Only while no customer contract uses this version and nothing rolls over into it (409 with the counts).',
    },
  });
}
