/**
 * The demo storefront server: a small loopback HTTP server that the browser tests and scenarios
 * start. Stateless; every page is rendered from the seeded catalog. Two pages exist for the
 * allow-list tests: `/redirect?to=URL` answers 302 to URL, and `/outbound?to=URL` shows a link to it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateCatalog } from '@sessionless/server-cart';
import { homePage, outboundPage, prefsPage, productPage, productsPage, searchPage } from './pages.js';

export interface DemoSite {
  origin: string;
  server: Server;
  close(): Promise<void>;
}

export async function startDemoSite(options: { port?: number; host?: string } = {}): Promise<DemoSite> {
  const products = generateCatalog();
  const bySku = new Map(products.map((p) => [p.sku, p]));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://site');
    const send = (status: number, html: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
    };
    if (url.pathname === '/') return send(200, homePage(products));
    if (url.pathname === '/products') return send(200, productsPage(products));
    if (url.pathname === '/search') return send(200, searchPage(url.searchParams.get('q') ?? '', products));
    if (url.pathname === '/prefs') return send(200, prefsPage());
    if (url.pathname === '/redirect') {
      res.writeHead(302, { location: url.searchParams.get('to') ?? '/' });
      return res.end();
    }
    if (url.pathname === '/outbound') return send(200, outboundPage(url.searchParams.get('to') ?? '/'));
    const product = url.pathname.startsWith('/product/')
      ? bySku.get(url.pathname.slice('/product/'.length))
      : undefined;
    if (product) return send(200, productPage(product));
    return send(404, '<!doctype html><title>Not found</title><h1>Not found</h1>');
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
