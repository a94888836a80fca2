/**
 * What python/marvelo_import/read_network.py prints: an original MARVELO network as its config.py built
 * it (the registries of the compatibility package `fission`), in creation order.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type OriginalJobKind = 'python' | 'executable' | 'marvelo' | 'csv-sink' | 'console' | 'other';

export interface OriginalJob {
  id: number;
  cls: string;
  module: string;
  /** The file that defines the class, or null when Python cannot tell. */
  file: string | null;
  kind: OriginalJobKind;
  /** The class and its bases, most derived first. */
  bases: string[];
  inputs: (number | string)[];
  outputs: (number | string)[];
  groups: string[];
  default_node: string | null;
  head: boolean;
  max_queue: number;
  has_preference: boolean;
  /** DEPENDENCIES: folders found (absolute), names that are not folders, modules and classes. */
  dependencies: { dirs: string[]; missing: string[]; modules: string[] };
  executable?: string | null;
  parameters?: string;
  input_flag?: string;
  output_flag?: string;
  csv?: { path: string; columns: string[] };
  /** The constructor's arguments by name (PythonJobs). */
  params?: Record<string, JsonValue>;
  params_lost?: { param: string; repr: string; why: 'unnamed' | 'not-json' }[];
}

export interface OriginalPipe {
  id: number | string;
  cls: string;
  bases: string[];
  /** The codec the compatibility package maps its class to (msgpack, json, bytes), or null. */
  codec: string | null;
  block_size: number | string | null;
  block_count: number;
  async: boolean;
  optional: { default: JsonValue; default_repr: string | null; store: boolean; buffer: number; drop: string } | null;
  /** pack, unpack, read, ... defined by the user's own class. */
  custom_methods: string[];
}

export interface OriginalNode {
  host: string;
  name: string;
  cls: string;
  bases: string[];
  groups: string[];
  cpus: number;
  port: number | null;
}

export interface OriginalXmlPipe {
  id: number;
  block_size: number;
  block_count: number;
}

export interface OriginalXmlJob {
  node: string | null;
  executable: string;
  dependency: string | null;
  dependency_dir: string | null;
  parameters: string;
  inputs: OriginalXmlPipe[];
  outputs: OriginalXmlPipe[];
}

export interface OriginalNetwork {
  name: string;
  folder: string;
  project: string;
  config: { file: string; keys: Record<string, JsonValue>; other_keys: string[] };
  jobs: OriginalJob[];
  pipes: OriginalPipe[];
  nodes: OriginalNode[];
  unregistered_nodes: { cls: string; repr: string }[];
  xml: { file: string; missing: boolean; jobs: OriginalXmlJob[] } | null;
}

export interface OriginalConfigError {
  error: 'config';
  /** The exception's class name. */
  kind: string;
  /** The module a ModuleNotFoundError names. */
  missing_module: string | null;
  message: string;
  file: string | null;
  line: number | null;
  traceback: string[];
}
