import { afterAll, afterEach, inject } from 'vitest';
import { installResponseValidation, takeViolations, watchApi } from './api-contract';

/**
 * Every stack test checks each response its API gives against the document the API serves
 * (GET /openapi.json): a test whose responses disagree with it fails, saying what to add where.
 */
installResponseValidation();
watchApi(inject('stack').api);

async function failOnViolations(): Promise<void> {
  const found = await takeViolations();
  if (found.length)
    throw new Error(
      `The API answered what its description (GET /openapi.json) does not say:\n- ${[...new Set(found)].join('\n- ')}`,
    );
}

afterEach(failOnViolations);
afterAll(failOnViolations);
