import { describe, expect, it } from 'vitest';
import { arityProblem, parameterList, runSignature } from '../../src/config/arity.js';
import { errorsOf, expectError, tempBundleDir } from './helpers.js';

const bundleDir = tempBundleDir();

describe('config - reading run() parameters', () => {
  it('splits top-level parameters only', () => {
    expect(parameterList('run(a, b = (1, 2), { c, d } = { c: ")" }, [e, f]) { return 1; }')).toEqual([
      'a',
      'b = (1, 2)',
      '{ c, d } = { c: ")" }',
      '[e, f]',
    ]);
    expect(parameterList('async *run(/* a, */ x, ...rest) {}')).toEqual(['/* a, */ x', '...rest']);
    expect(parameterList('x => x')).toEqual(['x']);
    expect(parameterList('async (a, b,) => a')).toEqual(['a', 'b']);
    expect(parameterList('run() {}')).toEqual([]);
  });

  it('tells generators, rest parameters and arguments apart', () => {
    class Shapes {
      plain(a: number, b = 2) {
        return a + b;
      }
      *gen() {}
      async *agen() {}
      rest(...xs: number[]) {
        return xs;
      }
      args() {
        // eslint-disable-next-line prefer-rest-params
        return arguments.length;
      }
    }
    const p = Shapes.prototype;
    expect(runSignature(p.plain)).toEqual({ required: 1, declared: 2, rest: false, usesArguments: false, generator: false });
    expect(runSignature(p.gen).generator).toBe(true);
    expect(runSignature(p.agen).generator).toBe(true);
    expect(runSignature(p.rest)).toMatchObject({ required: 0, declared: 1, rest: true });
    expect(runSignature(p.args).usesArguments).toBe(true);
  });

  it('accepts any run() for a source and checks connectors', () => {
    const sig = { required: 2, declared: 3, rest: false, usesArguments: false, generator: false };
    expect(arityProblem(sig, [])).toBeUndefined();
    expect(arityProblem(sig, ['a'])?.problem).toBe('run() needs 2 arguments, but the job has 1 input (a)');
    expect(arityProblem(sig, ['a', 'b'])).toBeUndefined();
    expect(arityProblem(sig, ['a', 'b', 'c'])).toBeUndefined();
    expect(arityProblem(sig, ['a', 'b', 'c', 'd'])?.problem).toBe('run() takes 3 arguments, but the job has 4 inputs (a, b, c, d)');
    expect(arityProblem({ ...sig, rest: true }, ['a', 'b', 'c', 'd'])).toBeUndefined();
  });

  it('reads default parameters of bundled JavaScript, and wants run() as a method', async () => {
    const all = await errorsOf('no-run.yaml', bundleDir);
    expect(all).toHaveLength(1);
    expectError(all, { code: 'MRV_CONFIG_MODULE', message: 'class FieldRun has no run() method', line: 5, col: 11, hint: 'as a method' });
  });
});
