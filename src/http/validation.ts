/** zod issues → the problem's field errors: one per field (the first), unknown keys named individually. */
import type { FieldError } from '../errors';

export interface ZodIssueLike {
  path: PropertyKey[];
  message: string;
  code?: string;
  keys?: string[];
}

/** `prefix` '' names object fields as JSON Pointers (`/startDate`); 'query.' etc. name request parts. */
export function fieldErrors(issues: readonly ZodIssueLike[], prefix = ''): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const push = (path: string[], message: string) => {
    const name = prefix ? `${prefix}${path.join('.')}` : `/${path.join('/')}`;
    if (seen.has(name)) return;
    seen.add(name);
    errors.push({ path: name, message });
  };
  for (const issue of issues) {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys' && issue.keys) for (const key of issue.keys) push([...path, key], prefix ? 'is not a known parameter' : 'is not a known field');
    else push(path, issue.message);
  }
  return errors;
}
