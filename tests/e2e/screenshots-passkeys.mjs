// Takes the README's passkey screenshots (docs/*passkey*.png) of the release build against a real
// Strapi with strapi-plugin-passkeys, Chromium's virtual authenticator standing in for a
// fingerprint reader. On localhost: passkeys need a domain, not an IP address.
//   node tests/e2e/screenshots-passkeys.mjs        (after `trunk build --release`)
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { DEMO, atPath, launchBrowser, logIn, serveApp, startStrapi } from './harness.mjs';

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

  // The passkey removed from the account, still on the authenticator: Strapi refuses it.
  await page.locator('.devices li', { hasText: 'Work laptop' }).getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('status').filter({ hasText: 'removed' }).waitFor();
  await page.getByText('You have no passkeys yet.').waitFor();
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await page.getByRole('alert').waitFor();
  await page.screenshot({ path: join(DOCS, 'login-passkey-refused.png') });
  const held = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials.length;
  console.log(`passkey screenshots in ${DOCS} (the authenticator still holds ${held} passkeys)`);
} finally {
  await browser.close();
  await app.stop();
  await strapi.stop();
}
