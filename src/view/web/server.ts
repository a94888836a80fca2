import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MarveloError } from '../../errors.js';
import { asset } from './assets.js';
import { newToken, tokenMatches } from './token.js';

/** What a page of the view is about: a live run, the list of recorded runs, or one recorded run. */
export type PageMode = 'live' | 'runs' | 'record';

export interface ViewRoutes {
  /** Serves `path` (below the token, without its leading slash); false: not a route of this view (404). */
  handle(req: IncomingMessage, res: ServerResponse, path: string): boolean | Promise<boolean>;
  /** The page for `path` when it is one (`''` the start page): its mode and run. */
  page(path: string): { mode: PageMode; run?: string } | undefined;
}

export interface ViewServer {
  /** The page's address, token included: print it once. */
  readonly url: string;
  close(): Promise<void>;
}

export const HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  // the token is in the URL: never send it on
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
} as const;

/**
 * An HTTP server (node:http) for the view, bound to `host` (127.0.0.1 by default). Every request must
 * start with the token (`/<token>/...`, compared in constant time); any other gets a bare 404.
 */
export async function startViewServer(routes: ViewRoutes, opts: { host?: string; port?: number } = {}): Promise<ViewServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = newToken();
  const server = createServer((req, res) => {
    void serve(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, HEADERS);
      res.end();
    });
  });
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://view');
    const at = url.pathname.indexOf('/', 1);
    const given = at < 0 ? url.pathname.slice(1) : url.pathname.slice(1, at);
    if (!tokenMatches(given, token)) return refuse(res);
    if (at < 0) {
      // /<token> without its slash: the page's relative links need it
      res.writeHead(308, { ...HEADERS, Location: `/${token}/` });
      return res.end();
    }
    const path = url.pathname.slice(at + 1);
    if (path.startsWith('assets/') && req.method === 'GET') {
      const a = asset(path.slice('assets/'.length));
      if (!a) return refuse(res);
      res.writeHead(200, { ...HEADERS, 'Content-Type': a.type, 'Content-Length': a.body.length });
      return res.end(a.body);
    }
    const page = req.method === 'GET' ? routes.page(path) : undefined;
    if (page) {
      const html = asset('index.html')!
        .body.toString('utf8')
        .replace('{{BASE}}', `/${token}/`)
        .replace('{{MODE}}', page.mode)
        .replace('{{RUN}}', page.run ?? '');
      res.writeHead(200, { ...HEADERS, 'Content-Type': 'text/html; charset=utf-8' });
      return res.end(html);
    }
    if (!(await routes.handle(req, res, path))) refuse(res);
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new MarveloError('MRV_VIEW_LISTEN', `the web view cannot listen on ${host}:${opts.port ?? 0}: ${err.code ?? err.message}`, { hint: 'choose another port with --ui-port, or leave it out for a free one' })),
    );
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/${token}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A bare 404: a request without the token learns nothing. */
function refuse(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Length': 0, 'Cache-Control': 'no-store' });
  res.end();
}

/** Sends JSON. */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { ...HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
  res.end(body);
}

/**
 * Reads a request's body up to `limit` bytes; undefined when it is longer (the rest is read and thrown
 * away, so that the client gets the answer instead of a reset connection).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let parts: Buffer[] | undefined = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) parts = undefined;
      else parts?.push(chunk);
    });
    req.on('end', () => resolve(parts && Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}
