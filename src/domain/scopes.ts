/**
 * Token scopes: `*`, or `<area>:read|write|*`, space-separated. The HTTP edge checks
 * a request against its token's scopes; the app-client service checks that a caller
 * hands out no scope it does not hold itself.
 */

export const AREAS = ['contracts', 'pricing', 'customers', 'webhooks', 'admin'] as const;
export type Area = (typeof AREAS)[number];

/** One scope item: `*`, or `<area>:read|write|*`. */
const SCOPE_ITEM = new RegExp(`^(\\*|(${AREAS.join('|')}):(read|write|\\*))$`);

/** True when `scope` is one or more known scope items separated by single spaces. */
export function isValidScope(scope: string): boolean {
  const items = scope.split(' ');
  return items.length > 0 && items.every((item) => SCOPE_ITEM.test(item));
}

/** Whether the scopes `granted` include `requested` (`*` ⊇ `area:*` ⊇ `area:read`, `area:write`). */
export function grantsScope(granted: ReadonlySet<string>, requested: string): boolean {
  if (granted.has('*')) return true;
  if (requested === '*') return false;
  const area = requested.slice(0, requested.indexOf(':'));
  return granted.has(`${area}:*`) || granted.has(requested);
}
