import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Realistic complaints for tests and demos (a copy of shared/fixtures/complaints.json). */
export interface Fixture {
  name: string;
  body: Record<string, any>;
  expect: Record<string, unknown>;
}

export const fixtures: Fixture[] = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../fixtures/complaints.json'), 'utf8'),
).complaints;
