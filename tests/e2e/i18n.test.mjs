// Languages and brand, in the release build against a real Strapi 5.54.0: a browser in another
// language gets the pages, and Strapi's own messages, in it; the picker switches without losing what
// was typed; a right-to-left catalog lays the page out right to left without sideways scrolling;
// every shipped language is axe-clean; a deployment branded with deploy/configure.sh (name, logo,
// theme) shows it under the strict Content-Security-Policy.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';

import { DEMO, alertText, atPath, axeViolations, inPage, sidewaysOverflow, startStack, storedKeys } from './harness.mjs';

const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="40"><rect width="160" height="40" fill="#0b6b4f"/></svg>`;
// The default theme with another primary colour (still AA against white text).
const THEME = (await readFile(new URL('../../style/theme.css', import.meta.url), 'utf8')).replace(
  '--primary: #3b3fd8;',
  '--primary: #0b6b4f;',
);

let stack;

before(async () => {
  stack = await startStack({
    plain: { app: 3211, strapi: { port: 1501 } },
    branded: {
      app: 3212,
      strapi: { port: 1502 },
      serve: {
        files: { 'acme.svg': LOGO, 'acme-theme.css': THEME },
        configure: ['--name', 'Acme Corp', '--logo', '/acme.svg', '--theme', '{dir}/acme-theme.css'],
      },
    },
    spanish: { app: 3213, strapi: { port: 1503 }, serve: { configure: ['--locale', 'es'] } },
  });
});

after(() => stack?.stop());

const german = { locale: 'de-DE' };

describe('languages', () => {
  test('a German browser gets German pages, and Strapi\'s refusal in German', () =>
    inPage(
      stack.browser,
      'german login',
      async (page) => {
        await page.goto(`${stack.app.plain.origin}/auth/login`);
        await page.getByLabel('E-Mail oder Benutzername').fill(DEMO.email);
        await page.getByLabel('Passwort', { exact: true }).fill('not the password');
        assert.equal(await page.evaluate(() => document.documentElement.lang), 'de');
        assert.equal(await page.title(), 'Anmelden');
        await page.getByRole('button', { name: 'Anmelden' }).click();
        assert.equal(await alertText(page), 'E-Mail/Benutzername oder Passwort ist falsch');
        assert.deepEqual(await storedKeys(page), {});
        // And the German form logs in.
        await page.getByLabel('Passwort', { exact: true }).fill(DEMO.password);
        await page.getByRole('button', { name: 'Anmelden' }).click();
        await atPath(page, '/dashboard');
        await page.getByRole('heading', { name: 'Übersicht' }).waitFor();
        await page.getByText(`Sie sind angemeldet als ${DEMO.username}.`).waitFor();
      },
      german,
    ));

  test('the app\'s own checks speak the language too', () =>
    inPage(
      stack.browser,
      'german checks',
      async (page) => {
        await page.goto(`${stack.app.plain.origin}/auth/register`);
        await page.getByRole('button', { name: 'Konto erstellen' }).click();
        const alert = await alertText(page);
        assert.match(alert, /Wählen Sie einen Benutzernamen\./);
        assert.match(alert, /Geben Sie Ihre E-Mail-Adresse ein\./);
      },
      german,
    ));

  test('the picker switches the language at once, keeps what was typed, and is remembered', () =>
    inPage(stack.browser, 'picker', async (page) => {
      await page.goto(`${stack.app.plain.origin}/auth/login`);
      await page.getByLabel('Email or username').fill('someone@example.com');
      // As a person does it: the picker has the focus while they choose.
      await page.getByLabel('Language').focus();
      await page.getByLabel('Language').selectOption('fr');
      await page.getByLabel('E-mail ou nom d’utilisateur').waitFor();
      assert.equal(await page.getByLabel('E-mail ou nom d’utilisateur').inputValue(), 'someone@example.com');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'language');
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
      await page.reload();
      await page.getByRole('heading', { name: 'Se connecter' }).waitFor();
      // Back to English.
      await page.getByLabel('Langue').selectOption('en');
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    }));

  test('the picker works from the keyboard alone', () =>
    inPage(stack.browser, 'picker keyboard', async (page) => {
      await page.goto(`${stack.app.plain.origin}/auth/login`);
      await page.waitForFunction(() => performance.getEntriesByName('login-ready').length > 0);
      for (let i = 0; i < 15 && (await page.evaluate(() => document.activeElement?.id)) !== 'language'; i++) {
        await page.keyboard.press('Tab');
      }
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'language');
      await page.keyboard.press('ArrowUp'); // English → Deutsch
      await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'language', 'the focus stays on the picker');
    }));

  test('the operator\'s app-locale gives every visitor that language, from the pre-rendered page on', () =>
    inPage(stack.browser, 'operator locale', async (page) => {
      const html = await (await fetch(`${stack.app.spanish.origin}/auth/login`, { headers: { 'Accept-Language': 'de' } })).text();
      assert.ok(html.includes('id="prerendered"') && html.includes('<html lang="es"'), 'the Spanish pre-rendered form');
      assert.ok(html.includes('<h1 id="page-title">Iniciar sesión</h1>'));
      await page.goto(`${stack.app.spanish.origin}/auth/login`);
      await page.getByLabel('Correo electrónico o nombre de usuario').fill(DEMO.email);
      await page.getByLabel('Contraseña', { exact: true }).fill('wrong');
      await page.getByRole('button', { name: 'Iniciar sesión' }).click();
      assert.equal(await alertText(page), 'Identificador o contraseña no válidos');
    }));

  for (const locale of ['ar', 'he']) {
    test(`${locale}: the pages lay out right to left, with no sideways scrolling at 320 px`, () =>
      inPage(
        stack.browser,
        `rtl ${locale}`,
        async (page) => {
          for (const path of ['/auth/login', '/auth/register', '/auth/forgot-password', '/auth/reset-password?code=x']) {
            await page.goto(`${stack.app.plain.origin}${path}`);
            await page.waitForFunction((locale) => document.documentElement.dir === 'rtl' && document.documentElement.lang === locale, locale);
            await page.getByRole('heading').first().waitFor();
            assert.ok((await sidewaysOverflow(page)) <= 0, `${path} scrolls sideways`);
          }
          await page.goto(`${stack.app.plain.origin}/auth/login`);
          await page.waitForFunction(() => performance.getEntriesByName('login-ready').length > 0);
          await page.locator('button[type=submit]').click();
          // The app's own check, in the language.
          const expected = { ar: /أدخل بريدك الإلكتروني أو اسم المستخدم/, he: /יש להזין/ }[locale];
          assert.match(await alertText(page), expected);
          assert.ok((await sidewaysOverflow(page)) <= 0, 'the alert scrolls sideways');
          const [input, toggle] = await Promise.all([
            page.locator('#password').boundingBox(),
            page.locator('.field__toggle').boundingBox(),
          ]);
          assert.ok(toggle.x < input.x + input.width / 2, 'the toggle is on the left');
        },
        { locale, viewport: { width: 320, height: 640 } },
      ));
  }

  // Every shipped language (src/i18n.rs SHIPPED), as a browser set to it asks.
  const shipped = ['en-US', 'de-DE', 'fr-FR', 'es-ES', 'ar', 'he', 'id', 'it', 'ja', 'ko', 'nl', 'pl', 'pt-BR', 'ru', 'tr', 'zh-CN'];
  for (const locale of shipped) {
    test(`axe finds nothing on the login page and its failure in ${locale}`, () =>
      inPage(
        stack.browser,
        `axe ${locale}`,
        async (page) => {
          await page.goto(`${stack.app.plain.origin}/auth/login`);
          await page.waitForFunction(() => performance.getEntriesByName('login-ready').length > 0);
          const lang = await page.evaluate(() => document.documentElement.lang);
          assert.equal(lang, locale === 'en-US' ? 'en' : locale.replace(/-(DE|FR|ES)$/, ''));
          assert.deepEqual(await axeViolations(page), []);
          await page.locator('button[type=submit]').click();
          await page.getByRole('alert').waitFor();
          assert.deepEqual(await axeViolations(page), []);
        },
        { locale },
      ));
  }
});

describe('brand', () => {
  test('name, logo and theme set by configure.sh show under the strict CSP, in the HTML and in the app', () =>
    inPage(stack.browser, 'branded', async (page) => {
      const html = await (await fetch(`${stack.app.branded.origin}/auth/login`)).text();
      assert.match(html, /<title>Log in · Acme Corp<\/title>/);
      assert.match(html, /<img class="brand brand--logo" src="\/acme.svg" alt="Acme Corp">/);
      await page.goto(`${stack.app.branded.origin}/auth/login`);
      await page.waitForFunction(() => performance.getEntriesByName('login-ready').length > 0);
      const logo = page.getByRole('img', { name: 'Acme Corp' });
      await logo.waitFor();
      assert.ok(await logo.evaluate((img) => img.complete && img.naturalWidth > 0), 'the logo loaded');
      assert.equal(await page.title(), 'Log in · Acme Corp');
      const button = await page.locator('button[type=submit]').evaluate((b) => getComputedStyle(b).backgroundColor);
      assert.equal(button, 'rgb(11, 107, 79)');
      assert.deepEqual(await axeViolations(page), []);
      await page.goto(`${stack.app.branded.origin}/auth/forgot-password`);
      // The app names the page once it runs (the served index.html says "Log in").
      await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
      assert.equal(await page.title(), 'Forgot your password? · Acme Corp');
    }));
});
