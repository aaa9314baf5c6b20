import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG, parseDeskConfig } from '../../functions/domain/config';

/**
 * redress.config.example.json is what an operator copies: its desk is the default desk (teams,
 * categories with their lockSubject, service levels), plus examples of options the default leaves
 * empty (an intake refusal). It must not drift from the default as the default grows.
 */
describe('the example desk config', () => {
  const example = parseDeskConfig(
    (
      JSON.parse(readFileSync(join(import.meta.dirname, '../../redress.config.example.json'), 'utf8')) as {
        desk: unknown;
      }
    ).desk,
  );

  it('has the default desk’s teams, categories (content locks its subject) and service levels', () => {
    expect(example.teams).toEqual(DEFAULT_DESK_CONFIG.teams);
    expect(example.categories).toEqual(DEFAULT_DESK_CONFIG.categories);
    expect(example.categories.find((c) => c.id === 'content')?.lockSubject).toBe(true);
    expect(example.serviceLevels).toEqual(DEFAULT_DESK_CONFIG.serviceLevels);
    expect(example.timeZone).toBe(DEFAULT_DESK_CONFIG.timeZone);
    expect(example.retentionDays).toBe(DEFAULT_DESK_CONFIG.retentionDays);
  });
});
