/** The statics only an ExecutableJob class has (EXECUTABLE, PARAMETERS, flags, PASS), read and checked. */
import type { ExecutableStaticsSource } from '../jobs/executable-job.js';

export interface ExecutableStatics {
  /** As written in the class: a path relative to its module file, or a command name. */
  executable?: string;
  parameters?: string[];
  inputFlag?: string;
  outputFlag?: string;
  pass?: 'path' | 'fd';
}

export function readExecutableStatics(cls: ExecutableStaticsSource): { statics: ExecutableStatics; problems: string[] } {
  const problems: string[] = [];
  const statics: ExecutableStatics = {};
  const text = (key: 'EXECUTABLE' | 'INPUT_FLAG' | 'OUTPUT_FLAG', example: string): string | undefined => {
    const v = cls[key];
    if (v === undefined) return undefined;
    if (typeof v === 'string' && v.length > 0) return v;
    problems.push(`static ${key} must be a non-empty string, e.g. ${example}, not ${JSON.stringify(v)}`);
    return undefined;
  };
  statics.executable = text('EXECUTABLE', "'./bin/filter'");
  statics.inputFlag = text('INPUT_FLAG', "'--input'");
  statics.outputFlag = text('OUTPUT_FLAG', "'--output'");

  const params = cls.PARAMETERS;
  if (params !== undefined) {
    if (Array.isArray(params) && params.every((p) => typeof p === 'string' || (typeof p === 'number' && Number.isFinite(p)))) {
      statics.parameters = params.map(String);
    } else {
      // A string is not split: arguments are a vector, never a command line.
      problems.push(`static PARAMETERS must be a list of arguments, e.g. ['--window', 4], not ${JSON.stringify(params)}`);
    }
  }
  const pass = cls.PASS;
  if (pass !== undefined) {
    if (pass === 'path' || pass === 'fd') statics.pass = pass;
    else problems.push(`static PASS must be 'path' or 'fd', not ${JSON.stringify(pass)}`);
  }
  return { statics, problems };
}
