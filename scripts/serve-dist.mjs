// Serves a built app (the release `dist/`) as a static host would: files as they are, a path with a
// pre-rendered page (`auth/login.html` for /auth/login, see scripts/prerender.mjs) with that page,
// and every other path with index.html, so deep links such as /dashboard load. No dependencies.
//
//   node scripts/serve-dist.mjs [dir] [port]      (defaults: dist 3000; binds 127.0.0.1)
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

/** Serves `dir` on 127.0.0.1:`port`, adding `headers` to every answer; resolves to the server. */
export function serve(dir, port, headers = {}) {
  const root = resolve(dir);
  const fileFor = async (urlPath) => {
    const path = decodeURIComponent(urlPath.split('?')[0]);
    const candidate = normalize(join(root, path));
    // Like the nginx config: the build's notes for servers (.nginx/) and other dot-files are not served.
    const hidden = path.split('/').some((part) => part.startsWith('.'));
    if (candidate.startsWith(root + sep) && !hidden) {
      for (const file of [candidate, `${candidate}.html`]) {
        const info = await stat(file).catch(() => null);
        if (info?.isFile()) return file;
      }
    }
    return join(root, 'index.html');
  };
  const server = createServer(async (req, res) => {
    try {
      const file = await fileFor(req.url ?? '/');
      const body = await readFile(file);
      const html = file.endsWith('.html');
      res.writeHead(200, {
        ...headers,
        'Content-Type': types[extname(file)] ?? 'application/octet-stream',
        // Hashed assets never change; index.html must always be fresh.
        'Cache-Control': html ? 'no-cache' : 'public, max-age=31536000, immutable',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(err));
    }
  });
  return new Promise((ready, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ready(server));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? 'dist';
  const port = Number(process.argv[3] ?? 3000);
  await serve(dir, port);
  console.log(`serving ${resolve(dir)} at http://127.0.0.1:${port}/`);
}
