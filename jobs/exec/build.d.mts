/** Types of build.mjs (the example programs' build step). */
export declare const BIN: string;
export declare function buildExamples(opts?: { log?: (line: string) => void }): string[];
