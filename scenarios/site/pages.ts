/**
 * The demo storefront's pages, rendered from the cart server's seeded catalog so the SKUs a
 * browser reads on a product page are the SKUs the cart accepts. Plain HTML with accessible
 * names, so accessibility snapshots (and their refs) are stable.
 */
import type { Product } from '@sessionless/server-cart';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const price = (cents: number) => `${(cents / 100).toFixed(2)} USD`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)} - Demo Store</title>
<style>body{font-family:sans-serif;margin:2rem;max-width:50rem}li{margin:.3rem 0}.sku{font-family:monospace}</style></head>
<body><nav><a href="/">Home</a> | <a href="/products">All products</a> | <a href="/prefs">Preferences</a></nav>
<h1>${escape(title)}</h1>
<form action="/search" method="get" role="search"><label>Search products <input name="q" type="search"></label> <button type="submit">Search</button></form>
${body}</body></html>`;
}

function productList(products: Product[]): string {
  return `<ul>${products
    .map(
      (p) =>
        `<li><a href="/product/${p.sku}">${escape(p.name)}</a> <span class="sku">${p.sku}</span> ${price(p.priceCents)}</li>`,
    )
    .join('')}</ul>`;
}

export function homePage(products: Product[]): string {
  const categories = [...new Set(products.map((p) => p.category))];
  return layout(
    'Demo Store',
    `<p>A storefront for the sessionless MCP demos: every product here can be added to a cart by SKU.</p>
<h2>Categories</h2><ul>${categories.map((c) => `<li><a href="/search?q=${c}">${escape(c)}</a></li>`).join('')}</ul>`,
  );
}

export function productsPage(products: Product[]): string {
  return layout('All products', productList(products));
}

export function productPage(product: Product): string {
  return layout(
    product.name,
    `<dl><dt>SKU</dt><dd class="sku" id="sku">${product.sku}</dd>
<dt>Price</dt><dd id="price">${price(product.priceCents)}</dd>
<dt>In stock</dt><dd id="stock">${product.stock}</dd>
<dt>Category</dt><dd>${escape(product.category)}</dd></dl><p>${escape(product.description)}</p>`,
  );
}

export function searchPage(query: string, products: Product[]): string {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const hits = products.filter((p) => words.every((w) => `${p.sku} ${p.name} ${p.category}`.toLowerCase().includes(w)));
  return layout(
    `Search: ${query}`,
    hits.length ? `<p>${hits.length} results</p>${productList(hits)}` : '<p>No results</p>',
  );
}

/**
 * Sets a cookie and a localStorage value unique to this browser on first visit, and shows both,
 * so isolation between browser handles is visible in a snapshot.
 */
export function prefsPage(): string {
  return layout(
    'Preferences',
    `<p id="cookie">Visitor cookie: none</p>
<p id="storage">Visitor storage: none</p>
<script>
  let id = localStorage.getItem('visitor');
  if (!id) { id = 'v-' + Math.random().toString(36).slice(2, 10); localStorage.setItem('visitor', id); }
  if (!document.cookie.includes('visitor=')) document.cookie = 'visitor=' + id + '; path=/; max-age=86400';
  document.getElementById('cookie').textContent = 'Visitor cookie: ' + ((document.cookie.match(/visitor=([^;]+)/) || [])[1] || 'none');
  document.getElementById('storage').textContent = 'Visitor storage: ' + localStorage.getItem('visitor');
</script>`,
  );
}

/** A page with one link leaving the store, for checking that link clicks obey the allow-list. */
export function outboundPage(target: string): string {
  return layout('Leaving the store', `<p><a href="${escape(target)}">Visit our partner</a></p>`);
}
