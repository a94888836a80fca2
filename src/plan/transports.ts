/** Each pipe's transport: a Unix socket when both jobs share a node, TCP otherwise, unless forced. */
import type { Network, TransportKind } from '../config/types.js';
import { MarveloError, MarveloErrors } from '../errors.js';
import type { PlannedPipe } from './types.js';

/** `forced`: a run's transport for every pipe, over each pipe's own `transport:`. */
export function planPipes(network: Network, nodeOf: ReadonlyMap<string, string>, forced: TransportKind | undefined): PlannedPipe[] {
  const errors: MarveloError[] = [];
  const pipes = Object.values(network.pipes).map((pipe): PlannedPipe => {
    const from = nodeOf.get(pipe.producer)!;
    const to = nodeOf.get(pipe.consumer)!;
    const wanted = forced ?? pipe.transport;
    if (wanted === 'unix' && from !== to) {
      const joins = `producer '${pipe.producer}' runs on ${from} and its consumer '${pipe.consumer}' on ${to}`;
      errors.push(
        forced !== undefined
          ? new MarveloError('MRV_PLAN_TRANSPORT', `the run forces transport unix, but pipe '${pipe.name}' joins two nodes: its ${joins}`, {
              pipe: pipe.name,
              hint: 'run without --transport unix: pipes within a node use unix sockets anyway, pipes between nodes tcp',
            })
          : new MarveloError('MRV_PLAN_TRANSPORT', `pipe '${pipe.name}' has transport: unix, but its ${joins}`, {
              pipe: pipe.name,
              where: pipe.where,
              hint: 'a Unix socket joins jobs on one node: remove transport: unix, or place both jobs on one node (default_node, groups)',
            }),
      );
    }
    return { pipe: pipe.name, producer: pipe.producer, consumer: pipe.consumer, transport: wanted ?? (from === to ? 'unix' : 'tcp') };
  });
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) throw new MarveloErrors(errors);
  return pipes;
}
