/** How deep lists and maps may nest: the parser, the composer and every walk after them recurse. */
export const MAX_DEPTH = 100;

/** A problem found in the YAML document, at a character offset. */
export interface YamlProblem {
  offset: number;
  message: string;
  hint: string;
}

export function tooDeep(offset: number, alias?: string): YamlProblem {
  return {
    offset,
    message:
      alias === undefined
        ? `lists and maps nest more than ${MAX_DEPTH} levels deep here`
        : `alias *${alias} nests lists and maps more than ${MAX_DEPTH} levels deep here`,
    hint: `nest lists and maps at most ${MAX_DEPTH} levels deep`,
  };
}
