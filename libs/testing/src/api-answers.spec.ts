import { apiAnswerCheck, type ApiDocument } from './api-answers';

const document: ApiDocument = {
  paths: {
    '/things/{id}': {
      get: {
        responses: {
          '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          '204': {},
        },
      },
    },
  },
  components: {
    schemas: {
      Thing: { type: 'object', properties: { id: { type: 'string', pattern: '^t-' } }, required: ['id'], additionalProperties: false },
    },
  },
};

describe('apiAnswerCheck', () => {
  const check = apiAnswerCheck(document);

  it('accepts a body that matches the documented schema of the status', () => {
    expect(check('GET', '/things/{id}', 200, { id: 't-1' })).toEqual([]);
  });

  it('names an undocumented status, a status without a JSON body and every mismatch', () => {
    expect(check('GET', '/things/{id}', 404, {})).toEqual(['GET /things/{id} 404: not in the document']);
    expect(check('GET', '/things/{id}', 204, {})).toEqual(['GET /things/{id} 204: no JSON schema documented']);
    expect(check('GET', '/things/{id}', 200, { id: 'x', extra: 1 })).toEqual([
      'GET /things/{id} 200 (Thing): (body) must NOT have additional properties',
      'GET /things/{id} 200 (Thing): /id must match pattern "^t-"',
    ]);
  });
});
