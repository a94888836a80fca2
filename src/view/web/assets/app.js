// The marvelo web view: draws a run from a snapshot and the updates its event stream pushes (or, for a
// recorded run, from its state.json). Plain browser JavaScript, served by the runtime with the page.

const mode = document.body.dataset.mode;
const runId = document.body.dataset.run;
const $ = (id) => document.getElementById(id);

/** @type {{status:string, runId?:string, network?:string, jobs:any[], pipes:any[], consoles:string[], samples:any[], events:any[], logs:Record<string,string[]>}} */
let state = { status: 'connecting', jobs: [], pipes: [], consoles: [], samples: [], events: [], logs: {} };
let drawnEvents = 0;
let graphFor = '';
let queued = false;
const COLOURS = ['#1f5fa8', '#b3461b', '#2a7f3f', '#7b3fa0', '#8a6d00', '#0f7c80', '#a0306a', '#4d4d4d'];
const MAX_SAMPLES = 1200;

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

function svgEl(tag, attrs = {}) {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

function fmt(n, digits = 1) {
  if (!Number.isFinite(n)) return '-';
  if (Math.abs(n) >= 1e6) return (n / 1e6).toFixed(digits) + ' M';
  if (Math.abs(n) >= 1e4) return (n / 1e3).toFixed(digits) + ' k';
  return Number.isInteger(n) ? String(n) : n.toFixed(digits);
}

function bytes(n) {
  if (!n) return '0';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** What a counter grew by; a restarted job's counters start again from 0: then what the new one counted. */
function grown(now, before) {
  return now >= before ? now - before : now;
}

function seconds(ms) {
  return (ms / 1000).toFixed(1) + ' s';
}

/** Rates between the last two samples: per pipe blocks/s, bytes/s; per job rounds/s and CPU %. */
function rates() {
  const s = state.samples;
  const out = { pipes: {}, jobs: {} };
  if (s.length < 2) return out;
  const a = s[s.length - 2];
  const b = s[s.length - 1];
  const dt = (b.t - a.t) / 1000;
  if (dt <= 0) return out;
  for (const [name, p] of Object.entries(b.pipes)) {
    const q = a.pipes[name] ?? p;
    out.pipes[name] = { blocks: grown(p.blocks, q.blocks) / dt, bytes: grown(p.bytes, q.bytes) / dt };
  }
  for (const [name, j] of Object.entries(b.jobs)) {
    const q = a.jobs[name] ?? j;
    out.jobs[name] = { rounds: grown(j.rounds, q.rounds) / dt, cpu: (grown(j.cpuMs, q.cpuMs) / (dt * 1000)) * 100 };
  }
  return out;
}

function fillClass(pipe, counters) {
  // an optional input has no queue to fill (queued absent)
  if (!counters || counters.queued === undefined) return 'q0';
  const fill = pipe.maxQueue > 0 ? counters.queued / pipe.maxQueue : 0;
  return fill >= 0.9 ? 'q2' : fill >= 0.5 ? 'q1' : 'q0';
}

function draw() {
  queued = false;
  const last = state.samples[state.samples.length - 1];
  const r = rates();
  $('network').textContent = state.network ?? 'marvelo';
  $('run-id').textContent = state.runId ? `run ${state.runId}` : '';
  $('status').textContent = state.status;
  $('elapsed').textContent = last ? `after ${seconds(last.t)}` : '';
  document.title = `${state.network ?? 'marvelo'}: ${state.status}`;

  // jobs
  $('jobs').replaceChildren(
    ...state.jobs.map((j) => {
      const s = last?.jobs[j.name];
      const jr = r.jobs[j.name];
      return el(
        'tr',
        { 'data-job': j.name },
        el('th', { scope: 'row' }, j.name),
        el('td', {}, j.node ?? '-'),
        el('td', { class: `state state-${j.state}` }, j.state),
        el('td', { class: 'num' }, jr ? fmt(jr.rounds) : '-'),
        el('td', { class: 'num' }, jr ? fmt(jr.cpu) : '-'),
        el('td', { class: 'num' }, s ? bytes(s.rss) : '-'),
      );
    }),
  );

  // pipes
  $('pipes').replaceChildren(
    ...state.pipes.map((p) => {
      const c = last?.pipes[p.name];
      const pr = r.pipes[p.name];
      const cls = `pipe-row ${fillClass(p, c)}${c?.dropped ? ' drop' : ''}`;
      return el(
        'tr',
        { 'data-pipe': p.name, class: cls },
        el('th', { scope: 'row' }, p.name),
        el('td', {}, `${p.producer} → ${p.consumer}${p.optional ? ' (optional)' : ''}`),
        el('td', { class: 'num blocks' }, c ? String(c.blocks) : '0'),
        el('td', { class: 'num rate' }, pr ? fmt(pr.blocks) : '-'),
        el('td', { class: 'num' }, pr ? (pr.bytes / 1e6).toFixed(2) : '-'),
        el('td', { class: 'num' }, c?.queued !== undefined ? `${c.queued} / ${p.maxQueue}` : '-'),
        el('td', { class: 'num' }, c ? String(c.dropped) : '0'),
        el('td', { class: 'num' }, c ? String(c.dummies) : '0'),
      );
    }),
  );

  drawGraph(last, r);
  drawChart();
  drawEvents();
  drawLogs();

  const cons = state.consoles ?? [];
  $('console-section').hidden = mode !== 'live' || cons.length === 0;
  $('console-jobs').textContent = cons.join(', ');
}

function drawGraph(last, r) {
  const graph = $('graph');
  const key = state.jobs.map((j) => j.name).join(',');
  if (key && key !== graphFor) {
    graphFor = key;
    graph.replaceChildren(listGraph());
    const url = mode === 'record' ? `runs/${runId}/graph.svg` : 'graph.svg';
    fetch(url).then(async (res) => {
      if (!res.ok) return;
      const doc = new DOMParser().parseFromString(await res.text(), 'image/svg+xml');
      const svg = doc.documentElement;
      if (svg.nodeName !== 'svg') return;
      svg.querySelectorAll('script, foreignObject').forEach((n) => n.remove());
      svg.setAttribute('aria-hidden', 'true');
      graph.replaceChildren(document.importNode(svg, true));
      schedule();
    }, () => {});
  }
  for (const g of graph.querySelectorAll('g.job[data-job]')) {
    const j = state.jobs.find((x) => x.name === g.dataset.job);
    g.classList.remove(...[...g.classList].filter((c) => c.startsWith('state-')));
    if (j) g.classList.add(`state-${j.state}`);
  }
  for (const g of graph.querySelectorAll('g.pipe[data-pipe], li.pipe[data-pipe]')) {
    const name = g.dataset.pipe;
    const p = state.pipes.find((x) => x.name === name);
    const c = last?.pipes[name];
    g.classList.remove('q0', 'q1', 'q2', 'drop');
    if (p) g.classList.add(fillClass(p, c));
    if (c?.dropped) g.classList.add('drop');
    // the label's first line (the SVG's title line of the pipe, or the list's name)
    const label = g.querySelector('.pipe-label tspan') ?? g.querySelector('.pipe-label');
    if (label) {
      label.dataset.text ??= label.textContent;
      const pr = r.pipes[name];
      label.textContent = `${label.dataset.text}${pr ? ` · ${fmt(pr.blocks)}/s` : ''}${c?.dropped ? ` · -${c.dropped}` : ''}`;
    }
  }
}

/** Until (or without) the SVG: each pipe as producer → consumer. */
function listGraph() {
  return el(
    'ul',
    { class: 'graph-list' },
    ...state.pipes.map((p) => el('li', { class: 'pipe', 'data-pipe': p.name }, `${p.producer} → ${p.consumer} `, el('span', { class: 'pipe-label' }, p.name))),
  );
}

function drawChart() {
  const W = 640, H = 200, L = 50, B = 22, T = 8, R = 10;
  const s = state.samples;
  const series = state.pipes.map((p, i) => {
    const pts = [];
    for (let k = 1; k < s.length; k++) {
      const a = s[k - 1], b = s[k];
      const dt = (b.t - a.t) / 1000;
      if (dt <= 0 || !b.pipes[p.name] || !a.pipes[p.name]) continue;
      pts.push([b.t, grown(b.pipes[p.name].blocks, a.pipes[p.name].blocks) / dt]);
    }
    return { name: p.name, colour: COLOURS[i % COLOURS.length], pts };
  });
  const all = series.flatMap((x) => x.pts);
  const max = Math.max(1, ...all.map((p) => p[1]));
  const t0 = s.length ? s[0].t : 0;
  const t1 = s.length ? Math.max(s[s.length - 1].t, t0 + 1) : 1;
  const x = (t) => L + ((t - t0) / (t1 - t0)) * (W - L - R);
  const y = (v) => T + (1 - v / max) * (H - T - B);
  const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': `blocks per second of each pipe over time; highest ${fmt(max)}/s` });
  svg.append(svgEl('line', { class: 'axis', x1: L, y1: T, x2: L, y2: H - B }), svgEl('line', { class: 'axis', x1: L, y1: H - B, x2: W - R, y2: H - B }));
  const label = (tx, attrs) => Object.assign(svgEl('text', attrs), { textContent: tx });
  svg.append(label(fmt(max), { x: L - 4, y: T + 10, 'text-anchor': 'end' }), label('0', { x: L - 4, y: H - B, 'text-anchor': 'end' }));
  svg.append(label(seconds(t0), { x: L, y: H - 6 }), label(seconds(t1), { x: W - R, y: H - 6, 'text-anchor': 'end' }));
  for (const sr of series) {
    if (sr.pts.length === 0) continue;
    svg.append(svgEl('polyline', { points: sr.pts.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' '), fill: 'none', stroke: sr.colour, 'stroke-width': 1.8, 'data-pipe': sr.name }));
  }
  const legend = el('ul', {}, ...series.map((sr) => el('li', {}, Object.assign(el('span'), { style: '' }), sr.name)));
  legend.querySelectorAll('li span').forEach((sp, i) => (sp.style.background = series[i].colour));
  $('chart').replaceChildren(s.length < 2 ? el('p', { class: 'muted' }, 'No samples yet.') : svg, legend);
}

function drawEvents() {
  const list = $('events');
  if (drawnEvents > state.events.length) {
    list.replaceChildren();
    drawnEvents = 0;
  }
  for (const e of state.events.slice(drawnEvents)) {
    list.append(el('li', { class: e.level, ...(e.job ? { 'data-job': e.job } : {}) }, el('time', {}, seconds(e.t)), e.text));
  }
  drawnEvents = state.events.length;
  list.scrollTop = list.scrollHeight;
}

function drawLogs() {
  const box = $('logs');
  for (const [job, lines] of Object.entries(state.logs)) {
    let d = box.querySelector(`details[data-job="${CSS.escape(job)}"]`);
    if (!d) {
      d = el('details', { 'data-job': job }, el('summary', {}, job), el('pre', { tabindex: '0', 'aria-label': `last lines of ${job}` }));
      box.append(d);
    }
    const pre = d.querySelector('pre');
    const text = lines.join('\n');
    if (pre.textContent !== text) {
      pre.textContent = text;
      pre.scrollTop = pre.scrollHeight;
    }
    d.querySelector('summary').textContent = `${job} (${lines.length} lines)`;
  }
}

function schedule() {
  if (!queued) {
    queued = true;
    requestAnimationFrame(draw);
  }
}

function apply(u) {
  for (const k of ['status', 'runId', 'network', 'jobs', 'pipes', 'consoles']) if (u[k] !== undefined) state[k] = u[k];
  if (u.samples) {
    state.samples.push(...u.samples);
    if (state.samples.length > MAX_SAMPLES) state.samples = state.samples.filter((_, i) => i % 2 === 0);
  }
  if (u.events) {
    state.events.push(...u.events);
    if (state.events.length > 500) {
      state.events = state.events.slice(-500);
      drawnEvents = Infinity;
    }
  }
  if (u.logs) {
    for (const [job, lines] of Object.entries(u.logs)) state.logs[job] = [...(state.logs[job] ?? []), ...lines].slice(-200);
  }
  schedule();
}

function live() {
  const es = new EventSource('events');
  es.addEventListener('snapshot', (m) => {
    state = JSON.parse(m.data);
    drawnEvents = Infinity;
    schedule();
  });
  es.addEventListener('update', (m) => apply(JSON.parse(m.data)));
  es.addEventListener('end', (m) => {
    apply(JSON.parse(m.data));
    es.close();
    state.status += ' (the run is over; marvelo ui shows it again)';
    schedule();
  });
  es.onerror = () => {
    if (es.readyState === EventSource.CLOSED) {
      state.status = 'disconnected';
      schedule();
    }
  };
  $('console-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const input = $('console-line');
    const result = $('console-result');
    try {
      const res = await fetch('console', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ line: input.value }) });
      const body = await res.json();
      result.textContent = res.ok ? `sent to ${body.sent.join(', ')}` : `not sent: ${body.error}`;
      if (res.ok) input.value = '';
    } catch {
      result.textContent = 'not sent: the run is not reachable';
    }
    input.focus();
  });
}

async function runs() {
  $('run-sections').hidden = true;
  $('runs-section').hidden = false;
  $('network').textContent = 'marvelo runs';
  const list = await (await fetch('runs.json')).json();
  $('status').textContent = `${list.length} recorded`;
  $('runs').replaceChildren(
    ...list.map((r) =>
      el('tr', { 'data-run': r.id }, el('th', { scope: 'row' }, el('a', { href: `runs/${r.id}/` }, r.id)), el('td', {}, r.network ?? '-'), el('td', { class: `state-${r.status}` }, r.status), el('td', {}, r.startedAt ?? '-')),
    ),
  );
}

async function record() {
  const res = await fetch(`runs/${runId}/state.json`);
  if (!res.ok) {
    $('status').textContent = 'no such run';
    return;
  }
  state = await res.json();
  drawnEvents = Infinity;
  schedule();
}

if (mode === 'live') live();
else if (mode === 'runs') runs();
else record();
