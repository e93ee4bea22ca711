// Takes the README's passkey screenshots (docs/*passkey*.png, and "Confirm it's you" and the panel
// after a password reset: docs/dashboard-confirm.png, docs/dashboard-after-reset.png) of the release
// build against a real Strapi with strapi-plugin-passkeys, Chromium's virtual authenticator
// standing in for a fingerprint reader. On localhost: passkeys need a domain, not an IP address.
//   node tests/e2e/screenshots-passkeys.mjs        (after `trunk build --release`)
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { DEMO, atPath, launchBrowser, linkIn, logIn, post, serveApp, startStrapi } from './harness.mjs';

const DOCS = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'docs');
const APP = 'http://localhost:3107';

const strapi = await startStrapi({ port: 1405, mode: 'refresh', origins: [APP], passkeyOrigins: [APP] });
const app = await serveApp({ port: 3107, strapiUrl: 'http://localhost:1405', configure: ['--passkeys', 'on'] });
const browser = await launchBrowser();
try {
  await mkdir(DOCS, { recursive: true });
  const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
  // A browser without passkey autofill, so the login page waits for the button.
  await page.addInitScript(() => {
    PublicKeyCredential.isConditionalMediationAvailable = async () => false;
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });

  await page.goto(`${APP}/auth/login`);
  await page.getByRole('button', { name: 'Sign in with a passkey' }).waitFor();
  await page.screenshot({ path: join(DOCS, 'login-passkey.png') });

  await logIn(page, DEMO.email, DEMO.password);
  await atPath(page, '/dashboard');
  await page.getByLabel('Passkey name').fill('Work laptop');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  // Strapi wants a recent confirmation first: the step asks, the add goes on once confirmed.
  const step = page.getByRole('group', { name: "Confirm it's you" });
  const confirmWith = async (password) => {
    await step.getByLabel('Password', { exact: true }).fill(password);
    await step.getByRole('button', { name: 'Confirm' }).click();
  };
  await step.getByLabel('Password', { exact: true }).waitFor();
  await step.getByLabel('Password', { exact: true }).fill('not-the-password');
  await step.getByRole('button', { name: 'Confirm' }).click();
  await step.getByRole('alert').waitFor();
  await step.getByLabel('Password', { exact: true }).focus();
  await page.screenshot({ path: join(DOCS, 'dashboard-confirm.png'), fullPage: true });
  await confirmWith(DEMO.password);
  await page.getByRole('status').filter({ hasText: '“Work laptop” added' }).waitFor();
  // A second one on the same authenticator: Strapi's options exclude the first, so it refuses.
  await page.getByLabel('Passkey name').fill('Again');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await page.getByRole('alert').waitFor();
  await page.screenshot({ path: join(DOCS, 'dashboard-passkey-exists.png'), fullPage: true });
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await atPath(page, '/dashboard');
  await page.getByText('Last used').first().waitFor();
  await page.screenshot({ path: join(DOCS, 'dashboard-passkeys.png'), fullPage: true });

  // Removed here, the browser is told and forgets it too (WebAuthn's signal API).
  await page.locator('.devices li', { hasText: 'Work laptop' }).getByRole('button', { name: 'Remove' }).click();
  await step.getByRole('button', { name: 'Use a passkey instead' }).click();
  await page.getByRole('status').filter({ hasText: 'removed' }).waitFor();
  await page.getByText('You have no passkeys yet.').waitFor();
  // Removed elsewhere (another browser), still on this authenticator: Strapi refuses it.
  await page.getByLabel('Passkey name').fill('Old phone');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await page.getByRole('status').filter({ hasText: '“Old phone” added' }).waitFor();
  const elsewhere = (await (await post(strapi.api, '/auth/local', { identifier: DEMO.email, password: DEMO.password })).json()).jwt;
  const { confirmation } = await (await post(strapi.api, '/passkeys/confirmation/password', { password: DEMO.password }, elsewhere)).json();
  const [{ id }] = await (await fetch(`${strapi.api}/passkeys`, { headers: { Authorization: `Bearer ${elsewhere}` } })).json();
  await post(strapi.api, '/passkeys/remove', { confirmation, id }, elsewhere);
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await page.getByRole('alert').filter({ hasText: 'not accepted here' }).waitFor();
  await page.screenshot({ path: join(DOCS, 'login-passkey-refused.png') });

  // After a reset from the mail: the panel, with a passkey someone may have added in view.
  await logIn(page, DEMO.email, DEMO.password);
  await atPath(page, '/dashboard');
  await page.getByLabel('Passkey name').fill('Unknown phone');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await confirmWith(DEMO.password);
  await page.getByRole('status').filter({ hasText: '“Unknown phone” added' }).waitFor();
  await post(strapi.api, '/auth/forgot-password', { email: DEMO.email });
  const link = new URL(linkIn(await strapi.mailTo(DEMO.email), 'code'));
  await page.goto(`${APP}/auth/reset-password${link.search}`);
  await page.getByLabel('New password', { exact: true }).fill(DEMO.password);
  await page.getByLabel('Confirm new password').fill(DEMO.password);
  await page.getByRole('button', { name: 'Set new password' }).click();
  await atPath(page, '/dashboard');
  await page.getByRole('region', { name: 'You reset your password' }).waitFor();
  await page.locator('.devices li', { hasText: 'Unknown phone' }).waitFor();
  await page.screenshot({ path: join(DOCS, 'dashboard-after-reset.png'), fullPage: true });
  await page.getByRole('button', { name: 'Remove all passkeys and sign out everywhere else' }).click();
  await page.getByRole('status').filter({ hasText: 'Your passkey was removed.' }).waitFor();
  await page.screenshot({ path: join(DOCS, 'dashboard-after-reset-done.png'), fullPage: true });
  const held = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials.length;
  console.log(`passkey screenshots in ${DOCS} (the authenticator still holds ${held} passkeys)`);
} finally {
  await browser.close();
  await app.stop();
  await strapi.stop();
}
