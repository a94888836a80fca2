import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MarveloError } from '../../src/errors.js';
import { projectName } from '../../src/init/init-project.js';
import { marveloSpec } from '../../src/init/marvelo-spec.js';
import { renderTemplate } from '../../src/init/template.js';
import { ROOT } from '../helpers/cli.js';

describe("a new project's names", () => {
  it('the package and network name is the folder name as npm allows it', () => {
    expect(projectName('My Streams')).toBe('my-streams');
    expect(projectName('audio_chain.v2')).toBe('audio_chain.v2');
    expect(projectName('.hidden')).toBe('hidden');
    expect(projectName('Ünïcode!')).toBe('n-code');
    expect(projectName('!!!')).toBe('marvelo-project');
  });
});

describe('how the project names marvelo (--marvelo)', () => {
  const work = mkdtempSync(join(tmpdir(), 'marvelo-spec-'));
  writeFileSync(join(work, 'marvelo-0.1.0.tgz'), '');
  mkdirSync(join(work, 'deep', 'er', 'project'), { recursive: true });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('keeps a version or other npm spec as given', () => {
    expect(marveloSpec('^0.1.0', join(work, 'p'), work)).toEqual({ spec: '^0.1.0', origin: 'as given with --marvelo' });
    expect(marveloSpec('github:someone/marvelo-ts', join(work, 'p'), work).spec).toBe('github:someone/marvelo-ts');
  });

  it('writes a path (from the current folder) as file: relative to the project, absolute when it is far', () => {
    expect(marveloSpec('marvelo-0.1.0.tgz', join(work, 'p'), work).spec).toBe('file:../marvelo-0.1.0.tgz');
    expect(marveloSpec('file:./marvelo-0.1.0.tgz', join(work, 'p'), work).spec).toBe('file:../marvelo-0.1.0.tgz');
    expect(marveloSpec('../marvelo-0.1.0.tgz', join(work, 'deep', 'er', 'project'), join(work, 'deep')).spec).toBe(`file:${join(work, 'marvelo-0.1.0.tgz')}`);
    expect(marveloSpec(ROOT, join(work, 'p'), work).origin).toContain('as given with --marvelo');
  });

  it('refuses a path that does not exist', () => {
    const err = (() => {
      try {
        marveloSpec('./missing.tgz', join(work, 'p'), work);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(MarveloError);
    expect((err as MarveloError).code).toBe('MRV_CLI_OPTION');
  });

  it('without --marvelo, from a checkout: its own folder', () => {
    expect(marveloSpec(undefined, join(ROOT, 'p'), work)).toMatchObject({ spec: 'file:..' });
  });
});

describe('templates', () => {
  it('fill in their keys, ship dot files under other names, and a key without a value is a bug', () => {
    const dir = mkdtempSync(join(tmpdir(), 'marvelo-template-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'gitignore'), 'x\n');
    writeFileSync(join(dir, 'sub', 'a.txt'), 'name {{name}}, again {{name}}; {{ not a key }}\n');
    expect(renderTemplate(dir, { name: 'n1' })).toEqual([
      { path: '.gitignore', text: 'x\n' },
      { path: 'sub/a.txt', text: 'name n1, again n1; {{ not a key }}\n' },
    ]);
    writeFileSync(join(dir, 'b.txt'), '{{other}}');
    expect(() => renderTemplate(dir, { name: 'n1' })).toThrow(/b\.txt uses \{\{other\}\}, which has no value/);
    rmSync(dir, { recursive: true, force: true });
  });
});
