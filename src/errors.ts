import { isAbsolute, relative } from 'node:path';

/**
 * One catalogue of coded errors. A code is never reused once published.
 * The CLI prints `code`, the location, the message and the hint; it never prints our stack for these.
 */
export const ERROR_CODES = {
  MRV_CONFIG_YAML: 'the network file is not valid YAML',
  MRV_CONFIG_SCHEMA: 'a key or value of the network file is not allowed',
  MRV_CONFIG_GRAPH: 'the pipes and jobs do not form a valid network',
  MRV_CONFIG_MODULE: 'a job module is missing, does not load, or lacks the export',
  MRV_CONFIG_PORTS: 'a job cannot take its inputs or a pipe codec does not match a port',
  MRV_CONFIG_FILE: 'the network file or cluster file cannot be read',
  MRV_PLAN_PLACEMENT: 'a job cannot be placed on any node',
  MRV_PLAN_UNSUPPORTED: 'the network needs a feature this version does not have',
  MRV_LAUNCH_WORKER: 'a worker process could not be started',
  MRV_CONTROL_PROTOCOL: 'a control message was malformed or unexpected',
  MRV_WIRE_FRAME: 'a data frame was malformed',
  MRV_WIRE_AUTH: 'a data connection failed authentication',
  MRV_WIRE_CONNECT: 'a data connection could not be made',
  MRV_WIRE_CODEC: 'a value could not be encoded or decoded by its pipe codec',
  MRV_JOB_FAILED: 'a job threw an exception',
  MRV_JOB_API: 'a job used the job API wrongly',
  MRV_CONSOLE_SOCKET: 'the console socket of a run cannot be opened or reached',
  MRV_RUN_INTERRUPTED: 'the run was interrupted',
  MRV_CONSOLE_LINE: 'a console line is longer than the limit',
  MRV_WIRE_BLOCK_SIZE: 'a block is larger than a data frame can carry',
  MRV_LAUNCH_NODE: 'a node cannot run this run\'s workers',
  MRV_CONFIG_NODE: "a node's SSH settings cannot be used",
  MRV_PLAN_TRANSPORT: "a pipe's transport cannot join the nodes of its two jobs",
  MRV_SSH_HOSTKEY: "a node's SSH host key is not known, has changed, or is revoked",
  MRV_SSH_AUTH: 'a node refused every key marvelo could log in with',
  MRV_SSH_UNREACHABLE: 'a node cannot be reached over the network',
  MRV_SSH_TIMEOUT: 'a node did not complete the SSH handshake in time',
  MRV_SSH_CONNECTION: 'an SSH connection to a node failed or broke',
  MRV_SSH_COMMAND: 'a command on a node could not be run or failed',
  MRV_NODE_RUNTIME: 'a node has no Node.js >= 20 and marvelo cannot ship its own there',
  MRV_RUN_RECORD: 'a run record cannot be found, is ambiguous, or cannot be written',
  MRV_RUN_TIMEOUT: "the run took longer than its network's timeout",
  MRV_JOB_TIMEOUT: "a job's run() call (or a source's wait for its next value) took longer than its timeout",
  MRV_CONFIG_RESTART: 'a job asks for a restart policy it cannot have',
  MRV_JOB_RESTARTS: 'a job failed more often than its max_retries allow, or could not be started again',
  MRV_GRAPH_INPUT: 'marvelo graph was given a format, option or run it cannot draw',
  MRV_CLI_OPTION: 'a command-line option has a value it cannot take',
  MRV_VIEW_LISTEN: 'the web view cannot listen on its address',
  MRV_CONFIG_OVERRIDE: 'a per-run override names an unknown job or key, or gives a value its key cannot take',
  MRV_RUN_HOOK: "a hook of the network file failed; the run's status is unchanged",
  MRV_CONFIG_SCHEDULE: "the network's schedule has a cron expression, time zone, time or deadline it cannot use, or is missing",
  MRV_JOB_OOM: 'a job used more memory than its limit and was killed (reason OOMKilled)',
  MRV_IMPORT_FOLDER: 'marvelo import was given a folder that is not an original MARVELO network',
  MRV_IMPORT_PYTHON: 'marvelo import cannot start the Python interpreter that reads config.py',
  MRV_IMPORT_CONFIG: "an original network's config.py raised an error (or did not finish) while marvelo import read it",
  MRV_IMPORT_OUTPUT: 'marvelo import would replace files that exist',
  MRV_TEST_HARNESS: 'marvelo/testing was given a job, input, pipe or network it cannot test',
  MRV_INIT_CONFLICT: 'marvelo init was given a folder that already has files the new project would overwrite',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

export interface ErrorDetails {
  hint?: string;
  where?: SourceLocation;
  job?: string;
  pipe?: string;
  cause?: unknown;
}

export class MarveloError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly where: SourceLocation | undefined;
  readonly job: string | undefined;
  readonly pipe: string | undefined;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'MarveloError';
    this.code = code;
    this.hint = details.hint;
    this.where = details.where;
    this.job = details.job;
    this.pipe = details.pipe;
  }
}

/** A path as the user typed it: relative to the working directory when it lies below it. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** Several errors found in one pass (config validation collects every error before failing). */
export class MarveloErrors extends Error {
  readonly errors: MarveloError[];
  constructor(errors: MarveloError[]) {
    super(errors.map((e) => formatError(e)).join('\n'));
    this.name = 'MarveloErrors';
    this.errors = errors;
  }
}

export function isMarveloError(e: unknown): e is MarveloError {
  return e instanceof MarveloError;
}

/** Control characters (a tab, or an escape sequence from a quoted YAML string) as \u escapes. */
function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `file:line:col: CODE message\n  hint: ...` — the form users see (control characters escaped). */
export function formatError(e: MarveloError): string {
  const at = e.where ? `${escapeControls(displayPath(e.where.file))}:${e.where.line}:${e.where.col}: ` : '';
  // Name the job and pipe unless the message already does.
  const who = [
    e.job && !e.message.includes(`'${e.job}'`) ? `job '${e.job}'` : '',
    e.pipe && !e.message.includes(`'${e.pipe}'`) ? `pipe '${e.pipe}'` : '',
  ]
    .filter(Boolean)
    .join(', ');
  let s = `${at}${e.code} ${who ? escapeControls(who) + ': ' : ''}${escapeControls(e.message)}`;
  if (e.hint) s += `\n  hint: ${escapeControls(e.hint)}`;
  return s;
}
