import { networkJsonSchema } from '../config/schema.js';

export function schemaCommand(): number {
  process.stdout.write(JSON.stringify(networkJsonSchema(), null, 2) + '\n');
  return 0;
}
