import { DOMParser, onWarningStopParsing, type Element } from '@xmldom/xmldom';

export interface SvgParts {
  /** data-job -> the job's <g>. */
  jobs: Map<string, Element>;
  pipes: Map<string, Element>;
  nodes: Map<string, Element>;
}

/** Parses an SVG as XML (any well-formedness error or warning throws) and finds its jobs, pipes and node groups. */
export function parseSvg(svg: string): SvgParts {
  const doc = new DOMParser({ onError: onWarningStopParsing }).parseFromString(svg, 'image/svg+xml');
  const parts: SvgParts = { jobs: new Map(), pipes: new Map(), nodes: new Map() };
  for (const g of Array.from(doc.getElementsByTagName('g'))) {
    const cls = g.getAttribute('class')?.split(' ') ?? [];
    if (cls.includes('job')) parts.jobs.set(g.getAttribute('data-job') ?? '', g);
    if (cls.includes('pipe')) parts.pipes.set(g.getAttribute('data-pipe') ?? '', g);
    if (cls.includes('node')) parts.nodes.set(g.getAttribute('data-node') ?? '', g);
  }
  return parts;
}

/** The text of an element's first child element named `tag` with class `cls` (any class when undefined). */
export function textOf(el: Element, tag: string, cls?: string): string | undefined {
  const found = Array.from(el.getElementsByTagName(tag)).find((e) => cls === undefined || (e.getAttribute('class') ?? '').split(' ').includes(cls));
  return found?.textContent ?? undefined;
}

/** The texts of `tag` elements of class `cls` under `el`. */
export function textsOf(el: Element, tag: string, cls: string): string[] {
  return Array.from(el.getElementsByTagName(tag))
    .filter((e) => (e.getAttribute('class') ?? '').split(' ').includes(cls))
    .map((e) => e.textContent ?? '');
}
