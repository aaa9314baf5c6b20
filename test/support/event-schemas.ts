import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { PLATFORM_EVENT_TYPES, PLATFORM_EVENT_VERSION } from '../../functions/domain/platform-events';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

/** The published JSON Schemas of the platform events (docs/events), compiled once. */
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validators = new Map(
  PLATFORM_EVENT_TYPES.map((type) => [
    type,
    ajv.compile(
      JSON.parse(
        readFileSync(
          path.resolve(import.meta.dirname, `../../docs/events/${type}.v${PLATFORM_EVENT_VERSION}.schema.json`),
          'utf8',
        ),
      ),
    ),
  ]),
);

/** The schema errors of an event (by its own `type`), or [] when it conforms. */
export function schemaErrors(event: object): string[] {
  const validate = validators.get((event as { type?: string }).type as (typeof PLATFORM_EVENT_TYPES)[number]);
  if (!validate) return [`no schema for type ${(event as { type?: string }).type}`];
  return validate(event) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
