// Writes the generated JSON Schema to docs/ so that agent authors in other languages can use it.
import { writeFileSync } from 'node:fs';
import { telemetryEventJsonSchema } from './v1/json-schema.ts';

const target = new URL('../../../docs/telemetry-event.v1.schema.json', import.meta.url);
writeFileSync(target, JSON.stringify(telemetryEventJsonSchema(), null, 2) + '\n');
console.log(`wrote ${target.pathname}`);
