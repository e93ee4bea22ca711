// The first login over a connection that takes time to set up, as on a real network (loopback
// has none): a proxy in front of a real Strapi holds every new connection DELAY ms before it
// passes anything on. Reports the median time from the click on "Log in" to the dashboard, the
// POST's own duration, and how many connections each login opened after the click, over N cold
// logins of the release build in dist/, each in a fresh browser profile. Not private contexts:
// Chromium ignores <link rel="preconnect"> in those.
//
//   node bench/first-connection.mjs            (DELAY=300 N=9 HESITATE=1000 by default)
//
// HESITATE is the pause between the typed password and the click. Used for BENCHMARKS.md's
// preconnect A/B (session 7): build with and without the hint, run this on each.
import { DEMO, inProfile, serveApp, startStrapi, tcpProxy } from '../tests/e2e/harness.mjs';

const DELAY = Number(process.env.DELAY ?? 300);
const N = Number(process.env.N ?? 9);
const HESITATE = Number(process.env.HESITATE ?? 1000);
const [STRAPI, PROXY, APP] = [1521, 1522, 3221];

const strapi = await startStrapi({ port: STRAPI, origins: [`http://127.0.0.1:${APP}`] });
const proxy = await tcpProxy({ port: PROXY, to: STRAPI, delay: DELAY });
const app = await serveApp({ port: APP, strapiUrl: `http://127.0.0.1:${PROXY}` });

const clicks = [];
const posts = [];
const opened = [];
try {
  for (let i = 0; i < N; i++) {
    await inProfile('first connection', async (page) => {
      await page.goto(`${app.origin}/auth/login`);
      await page.waitForFunction(() => performance.getEntriesByName('login-ready').length > 0);
      await page.getByLabel('Email or username').fill(DEMO.email);
      await page.getByLabel('Password').fill(DEMO.password);
      await page.waitForTimeout(HESITATE);
      const before = proxy.connections;
      const clicked = await page.evaluate(() => performance.now());
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByText('You are logged in as').waitFor();
      clicks.push((await page.evaluate(() => performance.now())) - clicked);
      opened.push(proxy.connections - before);
      const post = await page.evaluate(() =>
        performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/auth/local')).at(-1)?.duration,
      );
      posts.push(post);
    });
  }
} finally {
  await app.stop();
  proxy.close();
  await strapi.stop();
}
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
console.log(
  JSON.stringify({
    delayMs: DELAY,
    hesitateMs: HESITATE,
    logins: N,
    clickToDashboardMs: Math.round(median(clicks)),
    postMs: Math.round(median(posts)),
    clicksMs: clicks.map(Math.round),
    connectionsOpenedAfterTheClick: opened,
  }),
);
