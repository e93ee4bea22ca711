// Points a built app at a Strapi by rewriting the <meta> tags of its index.html: no rebuild needed.
// For operators (at container or host start) and for the end-to-end tests.
//
//   node scripts/configure-dist.mjs DIST [--url URL] [--api-prefix PREFIX] [--refresh cookie|body]
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const NAMES = { url: 'strapi-url', apiPrefix: 'strapi-api-prefix', refresh: 'strapi-refresh' };

const escapeAttribute = (value) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Sets each given value's <meta> tag (quoted or minified, with or without content) in `html`. */
export function configureHtml(html, values) {
  let out = html;
  for (const [key, name] of Object.entries(NAMES)) {
    if (values[key] === undefined) continue;
    const tag = new RegExp(`<meta\\b[^>]*\\bname=["']?${name}["']?(?=[\\s/>])[^>]*>`, 'i');
    if (!tag.test(out)) throw new Error(`index.html has no <meta name="${name}"> tag`);
    out = out.replace(tag, `<meta name="${name}" content="${escapeAttribute(values[key])}">`);
  }
  return out;
}

export async function configureDist(dist, values) {
  const index = join(dist, 'index.html');
  await writeFile(index, configureHtml(await readFile(index, 'utf8'), values));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dist, ...rest] = process.argv.slice(2);
  const flags = { '--url': 'url', '--api-prefix': 'apiPrefix', '--refresh': 'refresh' };
  const values = {};
  for (let i = 0; i < rest.length; i += 2) {
    if (!flags[rest[i]] || rest[i + 1] === undefined) {
      console.error('usage: node scripts/configure-dist.mjs DIST [--url URL] [--api-prefix PREFIX] [--refresh cookie|body]');
      process.exit(2);
    }
    values[flags[rest[i]]] = rest[i + 1];
  }
  if (!dist) {
    console.error('usage: node scripts/configure-dist.mjs DIST [--url URL] [--api-prefix PREFIX] [--refresh cookie|body]');
    process.exit(2);
  }
  await configureDist(dist, values);
  console.log(`configured ${join(dist, 'index.html')}`);
}
