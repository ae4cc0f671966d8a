import { apiDocumentProblems, committedApiDocument, previewApiDocument, renderApiDocument } from '@shop/nest-platform';
import { apiDocs } from './api-docs';

describe('the OpenAPI document of customer-profiles (GET /docs/json)', () => {
  it('documents every route with its responses', async () => {
    expect(apiDocumentProblems(await previewApiDocument(apiDocs))).toEqual([]);
  });

  it('is committed up to date in docs/openapi/customer-profiles.json (regenerate: npm run docs:openapi)', async () => {
    expect(committedApiDocument(apiDocs.service)).toBe(renderApiDocument(await previewApiDocument(apiDocs)));
  });
});
