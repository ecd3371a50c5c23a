/**
 * The date module reads time zones from the runtime's Intl: in workerd as on Node
 * it must agree with the Temporal polyfill (test/helpers/dates-oracle.ts).
 */
import { describe, it } from 'vitest';
import { checkAroundChanges, checkInstantTexts, checkRandomInstants, checkWallTimes, checkZoneNames } from '../helpers/dates-oracle';

const slow = { timeout: 180_000 };

describe('time zones in workerd agree with Temporal', () => {
  it('offsets, offset changes, wall clocks and dates of random instants 1900–2199 (property)', slow, () => {
    checkRandomInstants(1000);
  });

  it('either side of and on offset changes, and runs of records through the offset-span cache (property)', slow, () => {
    checkAroundChanges(200);
  });

  it('finds the instants of local times (property)', slow, () => {
    checkWallTimes(500);
  });

  it('accepts the zone names Temporal accepts', slow, () => {
    checkZoneNames();
  });

  it('reads instant texts as Temporal does (property)', slow, () => {
    checkInstantTexts(2000);
  });
});
