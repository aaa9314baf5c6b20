import { describe, expect, it } from 'vitest';
import { readmeBlock, readmeDiagram } from '../../workflows/diagram';

describe('the architecture doc', () => {
  it('shows the workflow as the definition has it (npm run diagram redraws it)', () => {
    expect(readmeDiagram()).toBe(readmeBlock());
  });
});
