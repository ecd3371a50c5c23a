/** What src/http/openapi.ts adds to a generated document for every operation. */
import { describe, expect, it } from 'vitest';
import { completeDocument } from '../../src/http/openapi';

const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

function generated() {
  return {
    openapi: '3.1.0',
    paths: {
      '/v9/things': {
        get: {
          operationId: 'listThings',
          tags: ['Things'],
          summary: 'List things',
          parameters: [{ name: 'page', in: 'query', schema: { type: 'integer' } }],
          responses: {
            200: { description: 'The things', headers: { 'X-Total-Count': { schema: { type: 'integer' } } }, content: { 'application/json': { schema: { type: 'array' } } } },
            400: { description: 'Bad', content: problem },
          },
        },
        post: {
          operationId: 'createThing',
          tags: ['Things', 'Extra'],
          security: [{ bearerAuth: [] }],
          responses: { 201: { description: 'Created', content: { 'application/json': { schema: {} } } }, 409: { description: 'In use', content: problem } },
        },
      },
      '/v9/public': { post: { operationId: 'publicThing', security: [], responses: { 200: { description: 'ok' } } } },
      '/v9/checked': {
        get: { operationId: 'getChecked', responses: { 200: { description: 'ok' } } },
        head: { operationId: 'checkChecked', responses: { 200: { description: 'exists' } } },
      },
      '/v9/clash': { get: { operationId: 'clash', responses: {} }, post: { operationId: 'clashHead', responses: {} } },
    },
  };
}

describe('completeDocument', () => {
  it('derives HEAD from a GET that documents none: same parameters and statuses, headers kept, no content', () => {
    const doc = completeDocument(generated());
    const head = doc.paths['/v9/things'].head;
    expect(head.operationId).toBe('listThingsHead');
    expect(head.parameters).toEqual(doc.paths['/v9/things'].get.parameters);
    expect(Object.keys(head.responses)).toEqual(['200', '400']);
    expect(head.responses['200'].headers).toEqual({ 'X-Total-Count': { schema: { type: 'integer' } } });
    expect(head.responses['200'].content).toBeUndefined();
    expect(head.responses['400'].content).toBeUndefined();
    expect(doc.paths['/v9/checked'].head.operationId).toBe('checkChecked');
    expect(doc.paths['/v9/clash'].head.operationId).toBe('clashHead2');
  });

  it('adds Idempotency-Key, Idempotent-Replayed and the 409/422 it causes to POSTs that take a token only', () => {
    const doc = completeDocument(generated());
    const post = doc.paths['/v9/things'].post;
    expect(post.parameters.map((p: { name: string; in: string }) => `${p.in} ${p.name}`)).toEqual(['header Idempotency-Key']);
    expect(post.responses['201'].headers['Idempotent-Replayed']).toBeDefined();
    expect(post.responses['409'].description).toBe('In use');
    expect(post.responses['422'].content).toEqual(problem);
    expect(doc.paths['/v9/public'].post.parameters).toBeUndefined();
  });

  it('defines every tag in order of first use, with the descriptions given', () => {
    const doc = completeDocument(generated(), new Map([['Things', 'What things are']]));
    expect(doc.tags).toEqual([{ name: 'Things', description: 'What things are' }, { name: 'Extra' }]);
  });
});
