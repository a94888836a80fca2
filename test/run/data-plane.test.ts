import { fixture, processesTagged } from '../helpers/cli.js';
import { expect } from 'vitest';
import { dataPlaneCases } from './data-plane-cases.js';

dataPlaneCases({
  label: 'run on this machine',
  network: fixture,
  args: [],
  expectNothingLeft: (r) => expect(processesTagged(r.tag)).toEqual([]),
});
