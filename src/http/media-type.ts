/**
 * Request media types (conventions.md §Create, read, update, delete): POST takes
 * application/json and PATCH application/json-patch+json, in UTF-8 (a charset
 * parameter may say so, and may say nothing else). Anything else is a 415.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './middleware';
import { unsupportedMediaType } from '../errors';

export const JSON_MEDIA_TYPE = 'application/json';

/** Why `header` is not `mediaType` in UTF-8, or null when it is. */
export function mediaTypeMismatch(header: string, mediaType: string): string | null {
  const [essence, ...parameters] = header.split(';');
  if (essence!.trim().toLowerCase() !== mediaType) return `The body must be ${mediaType}`;
  for (const parameter of parameters) {
    const eq = parameter.indexOf('=');
    const name = (eq < 0 ? parameter : parameter.slice(0, eq)).trim().toLowerCase();
    if (name !== 'charset') continue;
    const value = parameter.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase();
    if (value !== 'utf-8' && value !== 'utf8') return `The body must be ${mediaType} in UTF-8, not ${value}`;
  }
  return null;
}

/** Throws a 415 unless the request's Content-Type is `mediaType` in UTF-8. */
export function requireMediaTypeOf(header: string | undefined, mediaType: string): void {
  const problem = header === undefined ? `The body must be ${mediaType}` : mediaTypeMismatch(header, mediaType);
  if (problem) throw unsupportedMediaType(problem);
}

/** Route middleware: the body must be `mediaType` in UTF-8 (415 otherwise, or when there is none). */
export function requireMediaType(mediaType: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    requireMediaTypeOf(c.req.header('content-type'), mediaType);
    await next();
  };
}

/**
 * Every POST and PUT: a body must be application/json in UTF-8 (415 otherwise),
 * before any route validator sees it (the OpenAPI validator takes any `+json`
 * type and any charset). One without a body and without a Content-Type passes.
 */
export function jsonPostBodies(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method !== 'POST' && c.req.method !== 'PUT') return next();
    const header = c.req.header('content-type');
    if (header !== undefined) requireMediaTypeOf(header, JSON_MEDIA_TYPE);
    else if ((await c.req.text()).length > 0) throw unsupportedMediaType(`The body must be ${JSON_MEDIA_TYPE}`);
    return next();
  };
}
