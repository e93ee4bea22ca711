// "Confirm it's you" and security mails, against real Strapi instances (scripts/strapi.sh, ports
// 1621–1623): a copied access token alone must not add or remove a way into the account, and the
// person hears of every change by mail.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';

import { Passkey } from './authenticator.mjs';
import {
  DEMO,
  assertOk,
  assertRefused,
  authenticationOptions,
  call,
  confirmWithPassword,
  confirmation,
  listPasskeys,
  logIn,
  mailsTo,
  registerPasskey,
  signIn,
  signUp,
  startOneAfterAnother,
  stopStrapi,
} from './strapi.mjs';

const REQUIRED = ['PolicyError', 'Confirmation required'];
const WRONG_PASSWORD = 'The provided current password is invalid';

const SETTINGS = {
  legacy: { port: 1621, mode: 'legacy' },
  refresh: { port: 1622, mode: 'refresh', confirmationTtl: 3000 },
  quiet: { port: 1623, mode: 'legacy', mails: false, maxChallenges: 3 },
};
const starting = Object.fromEntries(
  startOneAfterAnother(Object.values(SETTINGS)).map((promise, i) => [Object.keys(SETTINGS)[i], promise]),
);
after(() => Promise.all(Object.values(SETTINGS).map(({ port }) => stopStrapi(port))));

/** What a script with a copied token and a software authenticator would send: no confirmation. */
async function addWithTokenOnly(strapi, token, extra = {}) {
  const options = await call(strapi, 'POST', '/passkeys/registration/options', { token, body: { ...extra } });
  return options;
}

/** Waits until the mail catcher holds `count` mails for `to` (mail goes out after the answer). */
async function mailsArrived(strapi, to, count) {
  for (let i = 0; i < 50; i++) {
    const mails = await mailsTo(strapi, to);
    if (mails.length >= count) return mails;
    await sleep(100);
  }
  return mailsTo(strapi, to);
}

/** The reset code of the newest reset mail for `email`, asked for with /auth/forgot-password. */
async function resetCode(strapi, email) {
  const before = (await mailsTo(strapi, email)).length;
  assertOk(await call(strapi, 'POST', '/auth/forgot-password', { body: { email } }), 'forgot password');
  const mails = await mailsArrived(strapi, email, before + 1);
  const link = mails.at(-1).text.match(/[?&]code=([\w-]+)/);
  assert.ok(link, `a reset link in "${mails.at(-1).subject}"`);
  return link[1];
}

/**
 * A sign-in through the development Strapi's OAuth provider ("mock", which authorizes at once), as
 * a browser would do it, without one: Strapi's redirect to the provider, the provider's back to
 * Strapi, then the app's call of /auth/mock/callback with Strapi's session cookie. Its answer.
 */
async function providerLogIn(strapi) {
  const jar = new Map();
  const get = async (url) => {
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const answer = await fetch(url, { redirect: 'manual', headers: { cookie } });
    for (const line of answer.headers.getSetCookie()) {
      const [pair] = line.split(';');
      jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    return answer;
  };
  let answer = await get(`${strapi.api}/connect/mock`);
  for (let hop = 0; hop < 2; hop++) answer = await get(answer.headers.get('location'));
  const back = new URL(answer.headers.get('location'));
  answer = await get(`${strapi.api}/auth/mock/callback${back.search}`);
  assert.equal(answer.status, 200, 'the provider sign-in');
  return answer.json();
}

/** An administrator's token for Strapi's admin API (the first administrator, made on first use). */
async function adminToken(strapi) {
  const base = strapi.api.replace(/\/api$/, '');
  const admin = { email: 'admin@example.com', password: 'Admin-Passw0rd!' };
  const post = (path, body) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  let answer = await post('/admin/register-admin', { firstname: 'Ada', lastname: 'Admin', ...admin });
  if (answer.status !== 200) answer = await post('/admin/login', admin);
  assert.equal(answer.status, 200, 'an administrator signs in');
  return (await answer.json()).data.token;
}

describe('a signed-in session alone', () => {
  let strapi;
  let demo;
  before(async () => {
    strapi = await starting.legacy;
    demo = await logIn(strapi);
  });

  test('cannot start or finish adding a passkey, nor remove one, without a confirmation', async () => {
    const token = demo.body.jwt;
    for (const extra of [{}, { confirmation: '' }, { confirmation: 'x'.repeat(43) }, { confirmation: 42 }, { confirmation: 'y'.repeat(5000) }]) {
      assertRefused(await addWithTokenOnly(strapi, token, extra), 403, ...REQUIRED);
    }
    // A registration answered with a challenge from a confirmed request is still refused without one.
    const passkey = new Passkey();
    const options = assertOk(
      await call(strapi, 'POST', '/passkeys/registration/options', {
        token,
        body: { confirmation: await confirmation(strapi, token) },
      }),
      'options with a confirmation',
    );
    const credential = passkey.attest(options);
    assertRefused(
      await call(strapi, 'POST', '/passkeys/registration/verify', { token, body: { name: 'Script', credential } }),
      403,
      ...REQUIRED,
    );
    assert.deepEqual(await listPasskeys(strapi, token), [], 'nothing was added');

    const { passkey: kept } = await registerPasskey(strapi, token, { name: 'Kept' });
    for (const route of ['/passkeys/remove', '/passkeys/remove-all']) {
      assertRefused(await call(strapi, 'POST', route, { token, body: { id: kept.credentialId } }), 403, ...REQUIRED);
    }
    assert.deepEqual((await listPasskeys(strapi, token)).map((p) => p.name), ['Kept']);
  });

  test("another person's confirmation is refused", async () => {
    const other = await signUp(strapi, 'eve');
    const theirs = await confirmation(strapi, other.jwt);
    assertRefused(
      await call(strapi, 'POST', '/passkeys/registration/options', { token: demo.body.jwt, body: { confirmation: theirs } }),
      403,
      ...REQUIRED,
    );
  });

  test('a wrong password gives no confirmation; five in a row pause confirming by password', async () => {
    const person = await signUp(strapi, 'wrongpw');
    const methods = assertOk(await call(strapi, 'GET', '/passkeys/confirmation', { token: person.jwt }), 'methods');
    assert.deepEqual(methods, { password: true, passkey: false, provider: null });
    for (const password of ['nope', '', 'x'.repeat(100), 'Other-Passw0rd']) {
      assertRefused(await confirmWithPassword(strapi, person.jwt, password), 400, 'ValidationError', WRONG_PASSWORD);
    }
    assertRefused(await confirmWithPassword(strapi, person.jwt, { not: 'a string' }), 400, 'ValidationError', WRONG_PASSWORD);
    // Five failures: even the right password waits now (a script holding a token may use many addresses).
    assertRefused(
      await confirmWithPassword(strapi, person.jwt, person.password),
      429,
      'RateLimitError',
      'Too many requests, please try again later.',
    );
    // Someone else is not held back by it.
    assertOk(await confirmWithPassword(strapi, demo.body.jwt, DEMO.password), 'the demo user confirms');
  });

  test('the right password gives a confirmation that adds and removes passkeys, and each is mailed', async () => {
    const person = await signUp(strapi, 'mailed');
    const answer = assertOk(await confirmWithPassword(strapi, person.jwt, person.password), 'confirmation');
    assert.match(answer.confirmation, /^[A-Za-z0-9_-]{43}$/);
    const lasts = Date.parse(answer.expiresAt) - Date.now();
    assert.ok(lasts > 9 * 60 * 1000 && lasts <= 10 * 60 * 1000, `lasts about 10 minutes (${lasts} ms)`);

    const { passkey } = await registerPasskey(strapi, person.jwt, { name: 'Phone <b>' });
    const { passkey: second } = await registerPasskey(strapi, person.jwt, { name: 'Laptop' });
    const removed = await call(strapi, 'POST', '/passkeys/remove', {
      token: person.jwt,
      body: { id: passkey.credentialId, confirmation: await confirmation(strapi, person.jwt) },
    });
    assert.equal(assertOk(removed, 'remove').name, 'Phone <b>');
    const all = await call(strapi, 'POST', '/passkeys/remove-all', {
      token: person.jwt,
      body: { confirmation: await confirmation(strapi, person.jwt) },
    });
    assert.deepEqual(assertOk(all, 'remove all'), { removed: 1 });
    assert.deepEqual(await listPasskeys(strapi, person.jwt), []);
    assert.ok(second);

    const mails = await mailsArrived(strapi, person.identifier, 4);
    assert.deepEqual(
      mails.map((m) => m.subject),
      [
        'A passkey was added to your account',
        'A passkey was added to your account',
        'A passkey was removed from your account',
        'All passkeys were removed from your account',
      ],
    );
    const [added] = mails;
    assert.match(added.text, /Hello mailed,/);
    assert.match(added.text, /"Phone <b>"/);
    assert.match(added.text, /from an unknown browser|from [A-Z]/);
    assert.match(added.text, /http:\/\/localhost:3000\/dashboard/);
    assert.match(added.html, /"Phone &lt;b&gt;"/, 'the name is escaped in HTML');
    assert.match(added.html, /<a href="http:\/\/localhost:3000\/dashboard">/);
    assert.match(mails[3].text, /Every passkey of your account \(1 in all\) was removed/);
  });

  test('a confirmation by passkey: only with one of their own passkeys, answering a challenge issued for it', async () => {
    const person = await signUp(strapi, 'bypasskey');
    const { passkey } = await registerPasskey(strapi, person.jwt, { name: 'Own' });
    const { passkey: demos } = await registerPasskey(strapi, demo.body.jwt, { name: 'Demo key' });
    const options = assertOk(
      await call(strapi, 'POST', '/passkeys/confirmation/passkey/options', { token: person.jwt }),
      'confirmation options',
    );
    assert.deepEqual(options.allowCredentials.map((c) => c.id), [passkey.credentialId]);
    assert.equal(options.userVerification, 'required');
    // The demo user's passkey cannot confirm for them, even on their challenge.
    assertRefused(
      await call(strapi, 'POST', '/passkeys/confirmation/passkey', { token: person.jwt, body: { credential: demos.assert(options) } }),
      400,
      'ValidationError',
      'Invalid passkey',
    );
    // A sign-in challenge is not a confirmation challenge.
    const signInOptions = await authenticationOptions(strapi);
    assertRefused(
      await call(strapi, 'POST', '/passkeys/confirmation/passkey', { token: person.jwt, body: { credential: passkey.assert(signInOptions) } }),
      400,
      'ValidationError',
      'Passkey challenge expired or already used',
    );
    const fresh = assertOk(
      await call(strapi, 'POST', '/passkeys/confirmation/passkey/options', { token: person.jwt }),
      'confirmation options',
    );
    const confirmed = assertOk(
      await call(strapi, 'POST', '/passkeys/confirmation/passkey', { token: person.jwt, body: { credential: passkey.assert(fresh) } }),
      'confirmation by passkey',
    );
    assertOk(
      await call(strapi, 'POST', '/passkeys/registration/options', { token: person.jwt, body: { confirmation: confirmed.confirmation } }),
      'registration options with it',
    );
    // Without passkeys there is nothing to confirm with.
    const none = await signUp(strapi, 'nopasskey');
    assertRefused(
      await call(strapi, 'POST', '/passkeys/confirmation/passkey/options', { token: none.jwt }),
      404,
      'NotFoundError',
      'Passkey not found',
    );
  });

  test('a password change ends every confirmation and is mailed', async () => {
    const person = await signUp(strapi, 'changer');
    const before = await confirmation(strapi, person.jwt);
    const changed = await call(strapi, 'POST', '/auth/change-password', {
      token: person.jwt,
      body: { currentPassword: person.password, password: 'Changed-Passw0rd!', passwordConfirmation: 'Changed-Passw0rd!' },
    });
    const { jwt } = assertOk(changed, 'change password');
    assertRefused(
      await call(strapi, 'POST', '/passkeys/registration/options', { token: jwt, body: { confirmation: before } }),
      403,
      ...REQUIRED,
    );
    const mails = await mailsArrived(strapi, person.identifier, 1);
    assert.deepEqual(mails.map((m) => m.subject), ['Your password was changed']);
    assert.match(mails[0].text, /changed on .* from .*\./);
  });

  test("a reset's answer carries a confirmation, and ends every earlier one; a password login's does not", async () => {
    const person = await signUp(strapi, 'resetter');
    const old = await confirmation(strapi, person.jwt);
    const code = await resetCode(strapi, person.identifier);
    const reset = await call(strapi, 'POST', '/auth/reset-password', {
      body: { code, password: 'Reset-Passw0rd!', passwordConfirmation: 'Reset-Passw0rd!' },
    });
    const { jwt, confirmation: given } = assertOk(reset, 'reset password');
    assert.match(given.confirmation, /^[A-Za-z0-9_-]{43}$/);
    // What someone held before the reset no longer works.
    assertRefused(
      await call(strapi, 'POST', '/passkeys/registration/options', { token: person.jwt, body: { confirmation: old } }),
      403,
      ...REQUIRED,
    );
    assertOk(
      await call(strapi, 'POST', '/passkeys/remove-all', { token: jwt, body: { confirmation: given.confirmation } }),
      'remove all with it',
    );
    const login = await logIn(strapi, { identifier: person.identifier, password: 'Reset-Passw0rd!' });
    assert.equal(login.body.confirmation, undefined, 'a password sign-in carries none');
    const subjects = (await mailsArrived(strapi, person.identifier, 2)).map((m) => m.subject);
    assert.ok(subjects.includes('Your password was reset'), subjects.join(', '));
  });

  test("an administrator's change of the password ends the person's confirmations and is mailed", async () => {
    const person = await signUp(strapi, 'adminchanged');
    const before = await confirmation(strapi, person.jwt);
    const admin = await adminToken(strapi);
    const changed = await fetch(`${strapi.api.replace(/\/api$/, '')}/content-manager/collection-types/plugin::users-permissions.user/${person.user.documentId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ password: 'Admin-Set-Passw0rd!' }),
    });
    assert.equal(changed.status, 200, `the admin's change: ${await changed.text()}`);
    assertRefused(
      await call(strapi, 'POST', '/passkeys/registration/options', { token: person.jwt, body: { confirmation: before } }),
      403,
      ...REQUIRED,
    );
    const mails = await mailsArrived(strapi, person.identifier, 1);
    assert.deepEqual(mails.map((m) => m.subject), ['Your password was changed']);
  });
});

describe('an account made through a provider', () => {
  let strapi;
  before(async () => {
    strapi = await starting.legacy;
  });

  test("confirms by signing in through the provider again: that sign-in's answer carries a confirmation", async () => {
    const first = await providerLogIn(strapi);
    const methods = assertOk(await call(strapi, 'GET', '/passkeys/confirmation', { token: first.jwt }), 'methods');
    assert.deepEqual(methods, { password: false, passkey: false, provider: 'mock' });
    assertRefused(
      await confirmWithPassword(strapi, first.jwt, 'anything'),
      400,
      'ApplicationError',
      'This account has no password',
    );
    const again = await providerLogIn(strapi);
    assert.equal(again.user.id, first.user.id);
    assert.match(again.confirmation.confirmation, /^[A-Za-z0-9_-]{43}$/);
    assertOk(
      await call(strapi, 'POST', '/passkeys/registration/options', {
        token: first.jwt,
        body: { confirmation: again.confirmation.confirmation },
      }),
      'registration options with it',
    );
  });
});

describe('session mode, a 3-second confirmation', () => {
  let strapi;
  before(async () => {
    strapi = await starting.refresh;
  });

  test('a confirmation ends when its window does; a renewal carries none', async () => {
    const login = await logIn(strapi);
    const token = login.body.jwt;
    const confirmed = await confirmation(strapi, token);
    assertOk(
      await call(strapi, 'POST', '/passkeys/registration/options', { token, body: { confirmation: confirmed } }),
      'within the window',
    );
    await sleep(3500);
    assertRefused(
      await call(strapi, 'POST', '/passkeys/registration/options', { token, body: { confirmation: confirmed } }),
      403,
      ...REQUIRED,
    );
    const renewed = assertOk(
      await call(strapi, 'POST', '/auth/refresh', { body: { refreshToken: login.body.refreshToken } }),
      'refresh',
    );
    assert.deepEqual(Object.keys(renewed).sort(), ['jwt', 'refreshToken']);
  });

  test("a reset's answer in session mode carries a confirmation", async () => {
    const person = await signUp(strapi, 'sessionreset');
    const code = await resetCode(strapi, person.identifier);
    const reset = assertOk(
      await call(strapi, 'POST', '/auth/reset-password', {
        body: { code, password: 'Reset-Passw0rd!', passwordConfirmation: 'Reset-Passw0rd!' },
      }),
      'reset',
    );
    assert.equal(typeof reset.refreshToken, 'string');
    assertOk(
      await call(strapi, 'POST', '/passkeys/remove-all', { token: reset.jwt, body: { confirmation: reset.confirmation.confirmation } }),
      'remove all with it',
    );
  });
});

describe('security mails switched off, 3 sign-in challenges at most', () => {
  let strapi;
  before(async () => {
    strapi = await starting.quiet;
  });

  test('adding a passkey and changing the password send no mail', async () => {
    const person = await signUp(strapi, 'quiet');
    await registerPasskey(strapi, person.jwt, { name: 'Silent' });
    assertOk(
      await call(strapi, 'POST', '/auth/change-password', {
        token: person.jwt,
        body: { currentPassword: person.password, password: 'Changed-Passw0rd!', passwordConfirmation: 'Changed-Passw0rd!' },
      }),
      'change password',
    );
    await sleep(1500);
    assert.deepEqual(await mailsTo(strapi, person.identifier), []);
  });

  test("anonymous sign-in options filling the public bound do not stop a person's own ceremonies", async () => {
    const person = await signUp(strapi, 'unblocked');
    for (let i = 0; i < 3; i++) await authenticationOptions(strapi);
    assertRefused(await call(strapi, 'POST', '/passkeys/authentication/options'), 429, 'RateLimitError', 'Too many requests, please try again later.');
    const { passkey } = await registerPasskey(strapi, person.jwt, { name: 'Still possible' });
    const options = assertOk(
      await call(strapi, 'POST', '/passkeys/confirmation/passkey/options', { token: person.jwt }),
      'confirmation options',
    );
    assertOk(
      await call(strapi, 'POST', '/passkeys/confirmation/passkey', { token: person.jwt, body: { credential: passkey.assert(options) } }),
      'confirmation by passkey',
    );
  });
});
