import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, fixture, runCli } from '../helpers/cli.js';

/**
 * The README's tables of the JSON summary, in order (the run, an entry of `pipes`, an entry of `jobs`):
 * the field names of each, from its first column.
 */
interface DocTable {
  fields: string[];
  rows: { fields: string[]; meaning: string }[];
}

function documentedFields(): DocTable[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('**The summary.**');
  const section = readme.slice(start, readme.indexOf('The counts add up.', start));
  const tables: DocTable[] = [];
  let current: DocTable | undefined;
  for (const line of section.split('\n')) {
    if (!line.startsWith('|')) {
      current = undefined;
      continue;
    }
    if (current === undefined) tables.push((current = { fields: [], rows: [] }));
    const [first, meaning] = line.split('|').slice(1, 3).map((c) => c.trim());
    if (first === 'field' || /^-+$/.test(first!)) continue;
    const fields = [...first!.matchAll(/`(\w+)`/g)].map((m) => m[1]!);
    current.fields.push(...fields);
    current.rows.push({ fields, meaning: meaning! });
  }
  return tables;
}

describe('run --json: the summary has the fields the README documents', () => {
  it('the run, every pipe and every job have exactly the documented fields; the text columns are fields of the same name', async () => {
    const [run, pipe, job] = documentedFields();
    expect(run!.fields).toContain('failure');
    const r = await runCli(['run', fixture('throws.yaml'), '--json']); // a failed run: `failure` is present
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout) as Record<string, unknown> & { pipes: object[]; jobs: object[]; failure: object };
    // A field documented as present "only when" something happened (timedOut) is not in a failed run's summary.
    const always = run!.rows.filter((row) => !row.meaning.startsWith('only when')).flatMap((row) => row.fields);
    expect(Object.keys(summary).sort()).toEqual(always.sort());
    for (const p of summary.pipes) expect(Object.keys(p).sort()).toEqual([...pipe!.fields].sort());
    for (const j of summary.jobs) expect(Object.keys(j).sort()).toEqual([...job!.fields].sort());
    const failureRow = run!.rows.find((row) => row.fields.includes('failure'))!;
    const failureFields = [...failureRow.meaning.matchAll(/`(\w+)`/g)].map((m) => m[1]);
    for (const key of Object.keys(summary.failure)) expect(failureFields).toContain(key);

    const text = await runCli(['run', fixture('throws.yaml')]);
    const header = text.stderr.split('\n').find((l) => /^ {2}pipe\s+route\s/.test(l))!;
    const columns = header.trim().split(/\s+/).slice(2); // after pipe and route
    expect(columns).toEqual(['blocks', 'dropped', 'dummies', 'discarded']);
    for (const c of columns) expect(pipe!.fields).toContain(c);
  });
});
