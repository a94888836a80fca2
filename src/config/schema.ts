/**
 * The one JSON Schema of the network file (draft 2020-12). The validator walks the YAML document
 * against it (see validate-schema.ts for the keywords it understands) and `marvelo schema` prints it,
 * so editors and the loader can never disagree. `description`s double as the hints of errors.
 */

const NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_.-]*$';
const PIPE_NAME_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_.-]*$';
const TYPED_CODECS = ['float32', 'float64', 'int16', 'int32'] as const;
const HOOK_COMMAND = 'A program and its arguments as a list, e.g. [./notify.sh, done], not a shell string; for a shell write [sh, -c, "echo done >> runs.log"]';
export const CODEC_NAMES = ['msgpack', 'json', 'bytes', ...TYPED_CODECS] as const;

export const NETWORK_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://marvelo.dev/schemas/network.json',
  title: 'marvelo network file',
  description: 'jobs joined by typed pipes, optionally placed on nodes',
  type: 'object',
  additionalProperties: false,
  required: ['jobs'],
  properties: {
    name: { type: 'string', minLength: 1, description: 'the network name (default: the file name)' },
    jobs: {
      type: 'array',
      minItems: 1,
      items: { $ref: '#/$defs/job' },
      description: 'the jobs, each with a name and `uses:` or `executable:`',
    },
    pipes: {
      type: 'object',
      propertyNames: { $ref: '#/$defs/pipeName' },
      additionalProperties: { $ref: '#/$defs/pipe' },
      description: 'pipe options by pipe name; an unlisted pipe is msgpack, block_count 1, lossless',
    },
    nodes: {
      anyOf: [
        { $ref: '#/$defs/nodeList' },
        { type: 'string', minLength: 1, description: 'a cluster file listing the nodes, relative to this file, e.g. ./cluster.yaml' },
      ],
      description: 'machines to run on (a list, or a cluster file that lists them); absent = every job runs on this machine',
    },
    head_size: { $ref: '#/$defs/headSize' },
    timeout: { $ref: '#/$defs/duration', description: 'the longest the run may take once every job started; longer stops it (exit code 124, status timed_out)' },
    max_retries: { type: 'integer', minimum: 0, description: 'how often the whole network is run again after a failed attempt (default 0)' },
    retry_backoff: { $ref: '#/$defs/duration', description: 'the wait before the first retry of the network, doubling for each further one (default 10s)' },
    defaults: {
      type: 'object',
      additionalProperties: false,
      properties: {
        env: { $ref: '#/$defs/env', description: 'environment variables of every job, merged key by key under its own' },
        params: { type: 'object', description: 'params of every module job (not builtin: or executable jobs), merged key by key under its own' },
        resources: { $ref: '#/$defs/resources', description: 'resources of every job, merged key by key under its own: { cpu, memory }' },
        timeout: { $ref: '#/$defs/duration', description: 'the timeout of every job that is not an executable and sets none' },
        max_queue: { $ref: '#/$defs/positiveInt' },
      },
      description: 'values every job gets unless it sets them: { env, params, resources, timeout, max_queue }; env, params and resources merge key by key',
    },
    hooks: { $ref: '#/$defs/hooks' },
    schedule: { $ref: '#/$defs/schedule' },
  },
  $defs: {
    hooks: {
      type: 'object',
      additionalProperties: false,
      properties: {
        on_success: { $ref: '#/$defs/hookCommand', description: `run after the run succeeded. ${HOOK_COMMAND}` },
        on_failure: { $ref: '#/$defs/hookCommand', description: `run after the run failed or timed out (not when it was cancelled). ${HOOK_COMMAND}` },
        on_finish: { $ref: '#/$defs/hookCommand', description: `run after every run, after on_success or on_failure. ${HOOK_COMMAND}` },
        timeout: { $ref: '#/$defs/duration', description: 'the longest one hook may run (default 5m); longer stops it and its processes' },
      },
      description: 'programs run on this machine after the run ends: { on_success, on_failure, on_finish, timeout }, e.g. { on_failure: [./alert.sh, run failed] }',
    },
    hookCommand: {
      type: 'array',
      minItems: 1,
      items: { type: ['string', 'number'], minLength: 1 },
      description: HOOK_COMMAND,
    },
    duration: {
      anyOf: [
        { type: 'number', minimum: 0, description: 'seconds, e.g. 90 or 1.5' },
        {
          type: 'string',
          pattern: '^([0-9]+(\\.[0-9]+)?|([0-9]+(\\.[0-9]+)?(d|h|m|s|ms))+)$',
          description: 'a duration: units from the largest down, e.g. 90s, 30m, 1h30m, 7d, 500ms (d, h, m, s, ms; no spaces), or a number of seconds',
        },
      ],
      description: 'a duration: seconds (90), or units from the largest down, e.g. 90s, 30m, 1h30m, 7d, 500ms',
    },
    name: {
      type: 'string',
      pattern: NAME_PATTERN,
      description: 'letters, digits, _ . - starting with a letter or _, e.g. count1',
    },
    pipeName: {
      type: ['string', 'integer'],
      pattern: PIPE_NAME_PATTERN,
      description: 'a pipe name: letters, digits, _ . -, e.g. p101',
    },
    pipeList: {
      type: 'array',
      items: { $ref: '#/$defs/pipeName' },
      description: 'pipe names, e.g. [p101, p102]',
    },
    stringOrList: {
      anyOf: [
        { type: 'string', minLength: 1 },
        { type: 'array', items: { type: 'string', minLength: 1 } },
      ],
      description: 'a name or a list of names, e.g. [ALL]',
    },
    headSize: {
      type: 'integer',
      minimum: 1,
      maximum: 4,
      description: 'head size in bytes, 1 to 4',
    },
    positiveInt: { type: 'integer', minimum: 1, description: 'an integer >= 1' },
    env: {
      type: 'object',
      additionalProperties: { type: 'string', description: 'environment values are strings: quote numbers, e.g. LEVEL: "3"' },
      description: 'environment variables',
    },
    job: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { $ref: '#/$defs/name' },
        uses: {
          type: 'string',
          pattern: '^(builtin:[A-Za-z0-9_.-]+|[^#]+(#[A-Za-z_$][A-Za-z0-9_$]*)?)$',
          description:
            'a ScriptJob module relative to this file (../jobs/count.ts or ../jobs/count.ts#ExportName), builtin:<name>, or python:<file.py>#<Class> (an original MARVELO PythonJob)',
        },
        executable: { type: 'string', minLength: 1, description: 'a program: a path relative to this file, or a command on PATH' },
        args: {
          type: 'array',
          items: { type: ['string', 'number'] },
          description: 'arguments of the program, before the pipe flags (they replace an ExecutableJob class\'s PARAMETERS)',
        },
        input_flag: { type: 'string', description: "flag before each input pipe of an executable (default '-i')" },
        output_flag: { type: 'string', description: "flag before each output pipe of an executable (default '-o')" },
        pass: {
          enum: ['path', 'fd'],
          description: 'how an executable gets its pipes: path (a file path per pipe) or fd (a descriptor number per pipe)',
        },
        build: {
          type: 'object',
          additionalProperties: false,
          required: ['command'],
          properties: {
            command: {
              type: 'array',
              minItems: 1,
              items: { type: ['string', 'number'] },
              description: "the command that makes the executable's program, run in this file's folder, e.g. [make, bin/filter]",
            },
            sources: { $ref: '#/$defs/stringOrList', description: 'files the program is made from: it is rebuilt when older than one of them' },
          },
          description: 'how to make the program of an executable job when it is missing or older than its sources',
        },
        params: { type: 'object', description: 'parameters of the job (this.params), e.g. { start: 1 }' },
        inputs: { $ref: '#/$defs/pipeList' },
        outputs: { $ref: '#/$defs/pipeList' },
        groups: { $ref: '#/$defs/stringOrList' },
        default_node: { type: 'string', minLength: 1, description: 'the node name (or host) tried first' },
        head: { type: 'boolean', description: 'an executable reads and writes the head before each block' },
        head_size: { $ref: '#/$defs/headSize' },
        max_queue: { $ref: '#/$defs/positiveInt' },
        dependencies: { $ref: '#/$defs/stringOrList' },
        env: {
          type: 'object',
          additionalProperties: { type: 'string', description: 'environment values are strings: quote numbers, e.g. LEVEL: "3"' },
          description: 'environment variables of the job',
        },
        logging: { type: 'boolean', description: 'report resource metrics of the job' },
        resources: { $ref: '#/$defs/resources', description: 'what the job asks of its node, booked against its capacity: { cpu, memory }, e.g. { cpu: 500m, memory: 256Mi }' },
        limits: { $ref: '#/$defs/resources', description: 'the most the job may use, at least its request: { cpu, memory }; over its memory limit the job is killed (MRV_JOB_OOM, reason OOMKilled); a limit without a request is also its request' },
        timeout: { $ref: '#/$defs/duration', description: 'the longest one run() call (a source: the wait for its next value) may take; longer fails the job (MRV_JOB_TIMEOUT). Not for executable jobs' },
        on_failure: { enum: ['stop', 'restart'], description: 'what a failure of this job does: stop ends the run (default); restart starts the job again, elsewhere if its node is lost' },
        max_retries: { type: 'integer', minimum: 0, description: 'how often the job may be restarted (on_failure: restart; default 3)' },
        retry_backoff: { $ref: '#/$defs/duration', description: 'the wait before the first restart, doubling for each further one (default 100ms)' },
        replicas: { $ref: '#/$defs/positiveInt', description: 'run N workers of the job, spread over the nodes, fed round-robin and merged back in SQN order (a source or sink must partition its work by this.replica)' },
        order: { enum: ['sqn', 'any'], description: 'with replicas: sqn (default) merges the replicas\' outputs in SQN order, exactly the stream one worker makes; any passes each result on as it comes' },
      },
      oneOf: [{ required: ['uses'] }, { required: ['executable'] }],
      allOf: [
        {
          if: { required: ['executable'] },
          then: {
            properties: { params: false },
            description: 'executable jobs take args, not params',
          },
        },
      ],
    },
    pipe: {
      type: 'object',
      additionalProperties: false,
      properties: {
        codec: {
          anyOf: [
            { enum: CODEC_NAMES },
            {
              type: 'string',
              pattern: '^(\\.{1,2}/|/)[^#]+(#[A-Za-z_$][A-Za-z0-9_$]*)?$',
              description: 'a custom codec module, e.g. ./codecs/int.ts or ./codecs/int.ts#IntCodec',
            },
          ],
          description: 'msgpack (default), json, bytes, float32, float64, int16, int32 or a codec module path',
        },
        block_size: { $ref: '#/$defs/positiveInt' },
        length: { $ref: '#/$defs/positiveInt' },
        block_count: { $ref: '#/$defs/positiveInt' },
        async: { type: 'boolean', description: 'the consumer reads without waiting (bypasses synchronization)' },
        optional: {
          type: 'object',
          additionalProperties: false,
          properties: {
            default: { description: 'value read before anything arrived' },
            store: { type: 'boolean', description: 'repeat the last value when nothing new arrived' },
            buffer: { $ref: '#/$defs/positiveInt' },
            drop: { enum: ['oldest', 'newest'], description: 'which value a full buffer loses' },
          },
          description: 'an async input: { default, store, buffer, drop }',
        },
        max_queue: { $ref: '#/$defs/positiveInt' },
        drop: {
          enum: ['block', 'oldest', 'newest'],
          description: 'block (lossless backpressure) or drop the oldest/newest block when the queue is full',
        },
        dummy: { enum: ['zero', 'prev'], description: 'data of a gap block: zeros or the previous value' },
        flush_ms: { type: 'number', minimum: 0, description: 'flush batched frames at least this often (ms)' },
        transport: { enum: ['unix', 'tcp'], description: 'force a transport (default: unix on one host, tcp across hosts)' },
      },
      allOf: [
        {
          if: { properties: { codec: { const: 'bytes' } }, required: ['codec'] },
          then: { required: ['block_size'], description: 'a bytes pipe needs block_size: the bytes of every block, e.g. block_size: 1024' },
          else: { properties: { block_size: false }, description: 'block_size applies only to codec: bytes' },
        },
        {
          if: { properties: { codec: { enum: TYPED_CODECS } }, required: ['codec'] },
          then: { required: ['length'], description: 'a typed-array pipe needs length: the elements of every block, e.g. length: 256' },
          else: { properties: { length: false }, description: 'length applies only to codec: float32, float64, int16 or int32' },
        },
        {
          if: { required: ['optional'] },
          then: { properties: { async: { const: true } }, description: 'optional implies async; remove async: false' },
        },
      ],
    },
    resources: {
      type: 'object',
      additionalProperties: false,
      properties: {
        cpu: { type: ['string', 'number'], description: 'CPUs as a Kubernetes quantity, e.g. "4", 1.5 or 500m' },
        memory: { type: ['string', 'number'], description: 'bytes as a Kubernetes quantity, e.g. 2Gi, 512Mi, 1G' },
      },
      description: '{ cpu, memory }',
    },
    schedule: {
      type: 'object',
      additionalProperties: false,
      required: ['cron'],
      properties: {
        cron: { type: 'string', minLength: 1, description: 'when to start a run: 5 fields (minute hour day-of-month month day-of-week), e.g. "20 16 * * *", or @hourly, @daily, @weekly, @monthly, @yearly' },
        timezone: { type: 'string', minLength: 1, description: 'the IANA time zone the cron expression is read in, e.g. Europe/Berlin (default UTC)' },
        starts: { type: 'string', minLength: 1, description: 'no fire before this time (inclusive): ISO 8601 with an offset, e.g. 2026-01-01T00:00:00Z' },
        ends: { type: 'string', minLength: 1, description: 'no fire at or after this time (exclusive): ISO 8601 with an offset, e.g. 2026-02-01T00:00:00+01:00' },
        concurrency: { enum: ['forbid', 'allow', 'replace'], description: 'a fire while an earlier run still goes: forbid skips it (default), allow starts another, replace stops the earlier run first' },
        starting_deadline: { $ref: '#/$defs/duration', description: 'how late a fire may still start a run (default: any lateness; later fires are recorded as missed)' },
      },
      description: 'when `marvelo schedule` starts a run: { cron, timezone, starts, ends, concurrency, starting_deadline }',
    },
    nodeList: {
      type: 'array',
      items: { $ref: '#/$defs/node' },
      description: 'the nodes, e.g. - { name: pi-1, host: 10.0.0.2, user: pi }',
    },
    node: {
      type: 'object',
      additionalProperties: false,
      required: ['host'],
      properties: {
        name: { $ref: '#/$defs/name' },
        host: { type: 'string', minLength: 1, description: 'host name or address, e.g. 10.0.0.2, or a Host alias of ~/.ssh/config' },
        port: { type: 'integer', minimum: 1, maximum: 65535, description: 'SSH port (default: ~/.ssh/config, else 22)' },
        user: { type: 'string', minLength: 1, description: 'SSH user (default: ~/.ssh/config, else your user name)' },
        identity: {
          type: 'string',
          minLength: 1,
          description: 'private key file, relative to this file or ~/...; default: ~/.ssh/config, else ssh-agent, else ~/.ssh/id_ed25519, id_ecdsa, id_rsa',
        },
        known_hosts: { type: 'string', minLength: 1, description: 'the known_hosts file that verifies its host key (default ~/.ssh/known_hosts)' },
        groups: { $ref: '#/$defs/stringOrList' },
        capacity: { $ref: '#/$defs/resources', description: 'what the node offers: { cpu, memory }, e.g. { cpu: 4, memory: 2Gi }' },
        root: {
          type: 'string',
          pattern: '^(/|~/)',
          description: 'the work folder on the node, an absolute path or ~/... in the SSH user\'s home (default ~/.marvelo)',
        },
        node_binary: { type: 'string', minLength: 1, description: 'Node.js on the node: a command on its PATH or an absolute path (default node)' },
        data_host: { type: 'string', minLength: 1, description: "the address other nodes reach this node's data ports at (default: its host)" },
      },
    },
  },
} as const;

export type NetworkSchema = typeof NETWORK_SCHEMA;

/** A cluster file: the `nodes:` list of a network file on its own, shared by many networks. */
export const CLUSTER_SCHEMA = {
  $schema: NETWORK_SCHEMA.$schema,
  $id: 'https://marvelo.dev/schemas/cluster.json',
  title: 'marvelo cluster file',
  description: 'nodes shared by many networks',
  type: 'object',
  additionalProperties: false,
  required: ['nodes'],
  properties: { nodes: { $ref: '#/$defs/nodeList' } },
  $defs: NETWORK_SCHEMA.$defs,
} as const;

/** The JSON Schema of the network file, as printed by `marvelo schema`. */
export function networkJsonSchema(): object {
  return structuredClone(NETWORK_SCHEMA);
}
