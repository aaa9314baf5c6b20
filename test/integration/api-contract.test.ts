import { describe, expect, it } from 'vitest';
import { responsesChecked, takeViolations } from '../support/api-contract';
import { CaseDriver, stack } from '../support/stack-client';

/** The served document is the contract: the suite checks every response against it (api-contract-setup.ts). */
describe('the API as its description says', () => {
  it('checks every response a test receives against GET /openapi.json', async () => {
    const before = responsesChecked();
    const response = await fetch(`${stack().api}/openapi.json`);
    expect(response.status).toBe(200);
    expect(await takeViolations()).toEqual([]);
    expect(responsesChecked()).toBe(before + 1);
  });

  it('answers problem+json to a reader who asks for JSON on a link that opens nothing', async () => {
    for (const path of [
      '/tasks/AAAAAAAAAAAAAAAAAAAAAA',
      '/held-filings/AAAAAAAAAAAAAAAAAAAAAA',
      '/staff/sign-in/AAAAAAAAAAAAAAAAAAAAAA',
    ]) {
      const response = await fetch(`${stack().api}${path}?lang=en`, { headers: { accept: 'application/json' } });
      expect(response.headers.get('content-type'), path).toMatch(/^application\/problem\+json/);
      const problem = (await response.json()) as { type: string; status: number; title: string };
      expect([404, 410], path).toContain(response.status);
      expect(problem.status).toBe(response.status);
      expect(problem.type).toMatch(/^urn:redress:problem:/);
    }
  });

  it('answers an open task as JSON when asked', async () => {
    const driver = await CaseDriver.file(0);
    const { url } = await driver.taskLink(/To do: Acceptance review/);
    const response = await fetch(url, { headers: { accept: 'application/json' } });
    expect(response.status).toBe(200);
    const task = (await response.json()) as Record<string, any>;
    expect(task).toMatchObject({ state: 'open', step: 'acceptance', complaint: { number: driver.number } });
    expect(typeof task.nonce).toBe('string');
  });
});
