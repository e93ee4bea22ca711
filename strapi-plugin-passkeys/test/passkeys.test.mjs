// The plugin against real Strapi 5 instances (scripts/strapi.sh, ports 1611–1614), driven by the
// software authenticator of ./authenticator.mjs. The four are reused across the cases; each starts
// while the cases of the one before run.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';

import { Passkey, randomUserHandle, strangerKey } from './authenticator.mjs';
import {
  DEMO,
  ORIGIN,
  assertOk,
  assertRefused,
  authenticationOptions,
  authenticationVerify,
  call,
  confirmation,
  cookieOf,
  listPasskeys,
  logIn,
  registerPasskey,
  registrationOptions,
  registrationVerify,
  removePasskey,
  setUserColumn,
  signIn,
  signUp,
  startOneAfterAnother,
  stopStrapi,
} from './strapi.mjs';

// The plugin's messages and /auth/local's, word for word.
const REFUSED = 'Invalid passkey';
const STALE = 'Passkey challenge expired or already used';
const TAKEN = 'Passkey already registered';
const BAD_NAME = 'Invalid passkey name';
const NOT_FOUND = 'Passkey not found';
const NOT_CONFIRMED = 'Your account email is not confirmed';
const BLOCKED = 'Your account has been blocked by an administrator';

// A second origin the app also answers on, configured beside the first on the legacy Strapi.
const OTHER_ORIGIN = 'https://app.localhost';
const COOKIE = 'strapi_up_refresh';

const SETTINGS = {
  legacy: { port: 1611, mode: 'legacy', origins: [ORIGIN, OTHER_ORIGIN] },
  refresh: { port: 1612, mode: 'refresh' },
  cookie: { port: 1613, mode: 'refresh', refreshCookie: true, confirmation: true, rateLimit: true },
  shortTtl: { port: 1614, mode: 'legacy', challengeTtl: 1000 },
};
const PORTS = Object.values(SETTINGS).map((s) => s.port);
// In this order, which is the order of the sections below: each runs while the next one starts.
const starting = Object.fromEntries(
  startOneAfterAnother(Object.values(SETTINGS)).map((promise, i) => [Object.keys(SETTINGS)[i], promise]),
);

// Every instance stopped, whichever started (a failed start may have left its companions running).
after(() => Promise.all(PORTS.map(stopStrapi)));

const keys = (object) => Object.keys(object).sort();

/** Checks a sign-in answer against /auth/local's for the same person, key for key. */
function assertLikeLocal(answer, local) {
  const body = assertOk(answer, 'passkey sign-in');
  assert.deepEqual(keys(body), keys(local.body), 'the keys /auth/local answers with');
  assert.deepEqual(body.user, local.body.user, 'the user /auth/local answers with');
  assert.equal(typeof body.jwt, 'string');
  return body;
}

async function assertMe(strapi, jwt, user) {
  const me = await call(strapi, 'GET', '/users/me', { token: jwt });
  assert.equal(me.status, 200, `GET /users/me with the passkey's jwt: ${JSON.stringify(me.body)}`);
  assert.equal(me.body.id, user.id);
  assert.equal(me.body.email, user.email);
}

describe('legacy JWT mode', () => {
  let strapi;
  let demo; // /auth/local's answer for the demo user
  before(async () => {
    strapi = await starting.legacy;
    demo = await logIn(strapi);
  });

  test('registration and the list need a signed-in person', async () => {
    const passkey = new Passkey();
    const options = await registrationOptions(strapi, demo.body.jwt);
    const credential = passkey.attest(options);
    const forbidden = ['ForbiddenError', 'Forbidden'];
    assertRefused(await call(strapi, 'POST', '/passkeys/registration/options'), 403, ...forbidden);
    assertRefused(
      await call(strapi, 'POST', '/passkeys/registration/verify', { body: { name: 'x', credential } }),
      403,
      ...forbidden,
    );
    assertRefused(await call(strapi, 'GET', '/passkeys'), 403, ...forbidden);
    assertRefused(await call(strapi, 'POST', '/passkeys/remove', { body: { id: passkey.credentialId } }), 403, ...forbidden);
    assertRefused(
      await call(strapi, 'POST', '/passkeys/registration/options', { token: 'not-a-jwt' }),
      401,
      'UnauthorizedError',
      'Missing or invalid credentials',
    );
    // Nothing was kept: the challenge is still the demo user's, and answering it with their token works.
    assert.equal((await listPasskeys(strapi, demo.body.jwt)).some((p) => p.id === passkey.credentialId), false);
    assertOk(await registrationVerify(strapi, demo.body.jwt, 'Kept later', credential), 'registration');
  });

  test('register, then sign in: the answer of /auth/local, a working jwt, lastUsedAt set', async () => {
    const before = Date.now();
    const { passkey, kept } = await registerPasskey(strapi, demo.body.jwt, { name: '  Laptop  ' });
    assert.deepEqual(keys(kept), ['createdAt', 'id', 'lastUsedAt', 'name']);
    assert.equal(kept.id, passkey.credentialId);
    assert.equal(kept.name, 'Laptop', 'the name, trimmed');
    assert.equal(kept.lastUsedAt, null);
    assert.ok(Date.parse(kept.createdAt) >= before - 1000 && Date.parse(kept.createdAt) <= Date.now() + 1000);
    const listed = (await listPasskeys(strapi, demo.body.jwt)).find((p) => p.id === passkey.credentialId);
    assert.deepEqual(listed, kept);

    const answer = await signIn(strapi, passkey);
    const body = assertLikeLocal(answer, demo);
    assert.deepEqual(keys(body), ['jwt', 'user']);
    assert.equal(answer.headers['set-cookie'], undefined);
    await assertMe(strapi, body.jwt, demo.body.user);

    const used = (await listPasskeys(strapi, demo.body.jwt)).find((p) => p.id === passkey.credentialId);
    assert.equal(used.name, 'Laptop');
    assert.equal(used.createdAt, kept.createdAt);
    assert.ok(used.lastUsedAt, 'lastUsedAt is set after a sign-in');
    assert.ok(Date.parse(used.lastUsedAt) >= Date.parse(kept.createdAt));
  });

  test('a passkey works from every configured origin', async () => {
    const passkey = new Passkey({ origin: OTHER_ORIGIN, rpId: 'localhost' });
    await registerPasskey(strapi, demo.body.jwt, { name: 'Other origin', passkey });
    assertLikeLocal(await signIn(strapi, passkey), demo);
    assertLikeLocal(await signIn(strapi, passkey, { assertion: { origin: ORIGIN } }), demo);
  });

  test('a name empty, blank, missing or over 64 characters is refused; 64 is kept', async () => {
    const countBefore = (await listPasskeys(strapi, demo.body.jwt)).length;
    for (const name of ['', '   ', undefined, 42, 'x'.repeat(65)]) {
      const passkey = new Passkey();
      const answer = await registrationVerify(strapi, demo.body.jwt, name, passkey.attest(await registrationOptions(strapi, demo.body.jwt)));
      assertRefused(answer, 400, 'ValidationError', BAD_NAME);
    }
    assert.equal((await listPasskeys(strapi, demo.body.jwt)).length, countBefore, 'nothing kept');
    const { kept } = await registerPasskey(strapi, demo.body.jwt, { name: 'y'.repeat(64) });
    assert.equal(kept.name, 'y'.repeat(64));
  });

  test('the same passkey registered twice is refused', async () => {
    const { passkey } = await registerPasskey(strapi, demo.body.jwt, { name: 'Once' });
    const again = passkey.attest(await registrationOptions(strapi, demo.body.jwt));
    assertRefused(await registrationVerify(strapi, demo.body.jwt, 'Twice', again), 400, 'ApplicationError', TAKEN);
    const named = (await listPasskeys(strapi, demo.body.jwt)).filter((p) => p.id === passkey.credentialId);
    assert.deepEqual(named.map((p) => p.name), ['Once']);
  });

  test('an assertion answers its challenge once: replay and a challenge never issued are refused', async () => {
    const { passkey } = await registerPasskey(strapi, demo.body.jwt, { name: 'Replay' });
    const credential = passkey.assert(await authenticationOptions(strapi));
    assertLikeLocal(await authenticationVerify(strapi, credential), demo);
    assertRefused(await authenticationVerify(strapi, credential), 400, 'ValidationError', STALE);
    const invented = passkey.assert({ challenge: randomUserHandle(), rpId: 'localhost' });
    assertRefused(await authenticationVerify(strapi, invented), 400, 'ValidationError', STALE);
    // A registration challenge does not open a sign-in either.
    const registration = await registrationOptions(strapi, demo.body.jwt);
    const crossed = passkey.assert({ challenge: registration.challenge, rpId: 'localhost' });
    assertRefused(await authenticationVerify(strapi, crossed), 400, 'ValidationError', STALE);
  });

  // Before the size checks, the first of these held Strapi's event loop for about a minute (and a
  // gigabyte): the test's timeout is what catches a hang, not a measure of speed.
  test('hostile WebAuthn fields are refused before anything is decoded', { timeout: 20_000 }, async () => {
    for (const credential of [
      // Buffer.from of an object with a huge length would allocate a gigabyte.
      { id: 'x', response: { clientDataJSON: { length: 1e9 } } },
      { id: 'x', response: { clientDataJSON: 'A'.repeat(100_000) } },
      { id: 'x'.repeat(10_000), response: { clientDataJSON: 7 } },
      { response: null },
      'a string',
    ]) {
      const answer = await call(strapi, 'POST', '/passkeys/authentication/verify', { body: { credential } });
      assertRefused(answer, 400, 'ValidationError', 'Invalid passkey');
      const registration = await call(strapi, 'POST', '/passkeys/registration/verify', {
        token: demo.body.jwt,
        body: { name: 'Hostile', credential, confirmation: await confirmation(strapi, demo.body.jwt) },
      });
      assertRefused(registration, 400, 'ValidationError', 'Invalid passkey');
    }
  });

  // On SQLite (better-sqlite3 answers synchronously) the plugin's find-then-delete of a challenge
  // never yields to another request in between, so this shows single use under concurrent requests
  // but cannot catch a missing `count` check in consume(): that one guards databases with real I/O
  // between the two queries (PostgreSQL, MySQL).
  test('two concurrent verifies of one assertion: exactly one signs in', async () => {
    const { passkey } = await registerPasskey(strapi, demo.body.jwt, { name: 'Race' });
    for (let round = 0; round < 3; round++) {
      const credential = passkey.assert(await authenticationOptions(strapi));
      const answers = await Promise.all([authenticationVerify(strapi, credential), authenticationVerify(strapi, credential)]);
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 400], JSON.stringify(answers.map((a) => a.body)));
      assertLikeLocal(answers.find((a) => a.status === 200), demo);
      assertRefused(answers.find((a) => a.status === 400), 400, 'ValidationError', STALE);
    }
  });

  test('an assertion without user verification is refused, so is a registration', async () => {
    const { passkey } = await registerPasskey(strapi, demo.body.jwt, { name: 'UV' });
    assertRefused(await signIn(strapi, passkey, { assertion: { uv: false } }), 400, 'ValidationError', REFUSED);
    assertLikeLocal(await signIn(strapi, passkey), demo);
    const fresh = new Passkey();
    const credential = fresh.attest(await registrationOptions(strapi, demo.body.jwt), { uv: false });
    assertRefused(await registrationVerify(strapi, demo.body.jwt, 'No UV', credential), 400, 'ValidationError', REFUSED);
    assert.equal((await listPasskeys(strapi, demo.body.jwt)).some((p) => p.id === fresh.credentialId), false);
  });

  test('a clientDataJSON origin that is not configured is refused', async () => {
    const { passkey } = await registerPasskey(strapi, demo.body.jwt, { name: 'Origin' });
    for (const origin of ['http://evil.example', 'http://localhost:3001', 'http://127.0.0.1:3000']) {
      assertRefused(await signIn(strapi, passkey, { assertion: { origin } }), 400, 'ValidationError', REFUSED);
    }
    assertLikeLocal(await signIn(strapi, passkey), demo);
    const fresh = new Passkey();
    const credential = fresh.attest(await registrationOptions(strapi, demo.body.jwt), { origin: 'http://evil.example' });
    assertRefused(await registrationVerify(strapi, demo.body.jwt, 'Evil', credential), 400, 'ValidationError', REFUSED);
  });

  test('a signCount that does not increase is refused', async () => {
    const { passkey } = await registerPasskey(strapi, demo.body.jwt, { name: 'Counter' });
    assertLikeLocal(await signIn(strapi, passkey, { assertion: { signCount: 5 } }), demo);
    assertRefused(await signIn(strapi, passkey, { assertion: { signCount: 5 } }), 400, 'ValidationError', REFUSED);
    assertRefused(await signIn(strapi, passkey, { assertion: { signCount: 4 } }), 400, 'ValidationError', REFUSED);
    assertLikeLocal(await signIn(strapi, passkey, { assertion: { signCount: 6 } }), demo);
  });

  describe('another person', () => {
    let other; // signed up through /auth/local/register
    let mine; // a passkey of the demo user
    before(async () => {
      other = await signUp(strapi, 'mallory');
      ({ passkey: mine } = await registerPasskey(strapi, demo.body.jwt, { name: 'Demo only' }));
    });

    test("cannot see or delete the demo user's passkey", async () => {
      assert.deepEqual(await listPasskeys(strapi, other.jwt), []);
      const answer = await removePasskey(strapi, other.jwt, mine.credentialId);
      assertRefused(answer, 404, 'NotFoundError', NOT_FOUND);
      assert.ok((await listPasskeys(strapi, demo.body.jwt)).some((p) => p.id === mine.credentialId), 'still listed');
      assertLikeLocal(await signIn(strapi, mine), demo);
    });

    test('cannot finish a registration with a challenge issued to the demo user', async () => {
      const theirs = new Passkey();
      const credential = theirs.attest(await registrationOptions(strapi, demo.body.jwt));
      assertRefused(await registrationVerify(strapi, other.jwt, 'Stolen', credential), 400, 'ValidationError', STALE);
      assert.deepEqual(await listPasskeys(strapi, other.jwt), []);
      assert.equal((await listPasskeys(strapi, demo.body.jwt)).some((p) => p.id === theirs.credentialId), false);
      assertRefused(await signIn(strapi, theirs), 404, 'NotFoundError', NOT_FOUND);
    });

    test("signs in with their own passkey as themselves, never as the demo user", async () => {
      const { passkey } = await registerPasskey(strapi, other.jwt, { name: 'Mallory' });
      const local = await logIn(strapi, { identifier: other.identifier, password: other.password });
      const body = assertLikeLocal(await signIn(strapi, passkey), local);
      assert.equal(body.user.username, 'mallory');
      assert.deepEqual((await listPasskeys(strapi, other.jwt)).map((p) => p.name), ['Mallory']);
    });

    test("an assertion whose userHandle is not the credential's is refused", async () => {
      const { passkey } = await registerPasskey(strapi, other.jwt, { name: 'Handle source' });
      for (const userHandle of [passkey.userHandle, randomUserHandle()]) {
        assert.notEqual(userHandle, mine.userHandle);
        assertRefused(await signIn(strapi, mine, { assertion: { userHandle } }), 400, 'ValidationError', REFUSED);
      }
      assertLikeLocal(await signIn(strapi, mine), demo);
    });

    test('an assertion signed by another key is refused', async () => {
      const { passkey } = await registerPasskey(strapi, other.jwt, { name: 'Key source' });
      for (const signWith of [passkey.key.privateKey, strangerKey()]) {
        assertRefused(await signIn(strapi, mine, { assertion: { signWith } }), 400, 'ValidationError', REFUSED);
      }
      assertLikeLocal(await signIn(strapi, mine), demo);
    });
  });

  test('a deleted passkey no longer signs in', async () => {
    const { passkey, kept } = await registerPasskey(strapi, demo.body.jwt, { name: 'Doomed' });
    assertLikeLocal(await signIn(strapi, passkey), demo);
    const used = (await listPasskeys(strapi, demo.body.jwt)).find((p) => p.id === passkey.credentialId);
    const removed = await removePasskey(strapi, demo.body.jwt, passkey.credentialId);
    assert.deepEqual(assertOk(removed, 'delete'), used);
    assert.equal(used.createdAt, kept.createdAt);
    assert.equal((await listPasskeys(strapi, demo.body.jwt)).some((p) => p.id === passkey.credentialId), false);
    assertRefused(await signIn(strapi, passkey), 404, 'NotFoundError', NOT_FOUND);
    assertRefused(
      await removePasskey(strapi, demo.body.jwt, passkey.credentialId),
      404,
      'NotFoundError',
      NOT_FOUND,
    );
  });

  test('a blocked person is refused as /auth/local refuses them', async () => {
    const person = await signUp(strapi, 'blocky');
    const { passkey } = await registerPasskey(strapi, person.jwt, { name: 'Blocky' });
    const local = await logIn(strapi, { identifier: person.identifier, password: person.password });
    assertLikeLocal(await signIn(strapi, passkey), local);
    setUserColumn(strapi, person.user.id, 'blocked', true);
    const refusedLocal = await call(strapi, 'POST', '/auth/local', {
      body: { identifier: person.identifier, password: person.password },
    });
    assertRefused(refusedLocal, 400, 'ApplicationError', BLOCKED);
    const refused = await signIn(strapi, passkey);
    assert.deepEqual({ status: refused.status, body: refused.body }, { status: refusedLocal.status, body: refusedLocal.body });
  });
});

describe('refresh mode', () => {
  let strapi;
  before(async () => {
    strapi = await starting.refresh;
  });

  test('refresh token in the body: /auth/local keys, the refresh token refreshes, the session is listed', async () => {
    const local = await logIn(strapi);
    assert.deepEqual(keys(local.body), ['jwt', 'refreshToken', 'user']);
    const { passkey } = await registerPasskey(strapi, local.body.jwt, { name: 'Refresh' });
    const deviceId = 'passkey-test-device';
    const answer = await signIn(strapi, passkey, { extra: { deviceId } });
    const body = assertLikeLocal(answer, local);
    assert.equal(answer.headers['set-cookie'], undefined, 'no cookie unless asked for');
    await assertMe(strapi, body.jwt, local.body.user);

    const sessions = await call(strapi, 'GET', '/auth/sessions', { token: body.jwt });
    const current = assertOk(sessions, 'sessions').data.filter((s) => s.current);
    assert.equal(current.length, 1, JSON.stringify(sessions.body));
    assert.equal(current[0].deviceId, deviceId);

    const refreshed = await call(strapi, 'POST', '/auth/refresh', { body: { refreshToken: body.refreshToken } });
    assert.deepEqual(keys(assertOk(refreshed, 'refresh')), ['jwt', 'refreshToken']);
    await assertMe(strapi, refreshed.body.jwt, local.body.user);
  });

  test('refresh token in the httpOnly cookie when asked for with X-Strapi-Refresh-Cookie', async () => {
    const headers = { 'x-strapi-refresh-cookie': 'httpOnly' };
    const local = await logIn(strapi, { headers });
    assert.deepEqual(keys(local.body), ['jwt', 'user']);
    const localCookie = cookieOf(local, COOKIE);
    assert.ok(localCookie, '/auth/local sets the cookie');

    const { passkey } = await registerPasskey(strapi, local.body.jwt, { name: 'Header cookie' });
    const answer = await signIn(strapi, passkey, { headers });
    const body = assertLikeLocal(answer, local);
    const cookie = cookieOf(answer, COOKIE);
    assert.ok(cookie, `the passkey sign-in sets ${COOKIE}: ${JSON.stringify(answer.headers['set-cookie'])}`);
    assert.deepEqual(cookie.attributes, localCookie.attributes);
    assert.ok(cookie.attributes.includes('httponly'));
    await assertMe(strapi, body.jwt, local.body.user);

    const sessions = assertOk(await call(strapi, 'GET', '/auth/sessions', { token: body.jwt }), 'sessions');
    assert.equal(sessions.data.filter((s) => s.current).length, 1);
    const refreshed = await call(strapi, 'POST', '/auth/refresh', {
      headers: { ...headers, cookie: `${COOKIE}=${cookie.value}` },
    });
    assert.deepEqual(keys(assertOk(refreshed, 'refresh with the cookie')), ['jwt']);
    assert.ok(cookieOf(refreshed, COOKIE), 'rotated into a new cookie');
    // Without the header the same Strapi answers in the body again.
    assert.deepEqual(keys(assertLikeLocal(await signIn(strapi, passkey), await logIn(strapi))), ['jwt', 'refreshToken', 'user']);
  });
});

describe('refresh mode with the httpOnly cookie configured, email confirmation, rate limiting', () => {
  let strapi;
  let local;
  let passkey;
  before(async () => {
    strapi = await starting.cookie;
    local = await logIn(strapi);
    ({ passkey } = await registerPasskey(strapi, local.body.jwt, { name: 'Cookie config' }));
  });

  test('refresh token in the cookie by configuration', async () => {
    assert.deepEqual(keys(local.body), ['jwt', 'user']);
    const localCookie = cookieOf(local, COOKIE);
    assert.ok(localCookie);
    const answer = await signIn(strapi, passkey, { extra: { deviceId: 'cookie-device' } });
    const body = assertLikeLocal(answer, local);
    const cookie = cookieOf(answer, COOKIE);
    assert.ok(cookie, 'the passkey sign-in sets the cookie');
    assert.deepEqual(cookie.attributes, localCookie.attributes);
    await assertMe(strapi, body.jwt, local.body.user);
    const sessions = assertOk(await call(strapi, 'GET', '/auth/sessions', { token: body.jwt }), 'sessions');
    assert.deepEqual(sessions.data.filter((s) => s.current).map((s) => s.deviceId), ['cookie-device']);
    const refreshed = await call(strapi, 'POST', '/auth/refresh', { headers: { cookie: `${COOKIE}=${cookie.value}` } });
    assert.deepEqual(keys(assertOk(refreshed, 'refresh with the cookie')), ['jwt']);
  });

  test('an unconfirmed email is refused as /auth/local refuses it', async () => {
    const userId = local.body.user.id;
    setUserColumn(strapi, userId, 'confirmed', false);
    try {
      const refusedLocal = await call(strapi, 'POST', '/auth/local', { body: { identifier: DEMO.email, password: DEMO.password } });
      assertRefused(refusedLocal, 400, 'ApplicationError', NOT_CONFIRMED);
      const refused = await signIn(strapi, passkey);
      assert.deepEqual({ status: refused.status, body: refused.body }, { status: refusedLocal.status, body: refusedLocal.body });
      assert.equal(cookieOf(refused, COOKIE), undefined);
    } finally {
      setUserColumn(strapi, userId, 'confirmed', true);
    }
    assertOk(await signIn(strapi, passkey), 'sign-in once confirmed again');
  });

  test('the 11th sign-in options request within a minute answers 429 like /auth/local, whatever the email', async () => {
    // Other clients than the cases above (which send from 127.0.0.1): buckets of their own.
    const passkeys = '127.0.0.2';
    const password = '127.0.0.3';
    for (let i = 1; i <= 10; i++) {
      const answer = await call(strapi, 'POST', '/passkeys/authentication/options', {
        from: passkeys,
        body: { email: `person${i}@example.com` },
      });
      assertOk(answer, `options request ${i}`);
      assert.equal(answer.headers['x-ratelimit-limit'], '10');
      assert.equal(answer.headers['x-ratelimit-remaining'], String(10 - i));
    }
    const limited = [
      await call(strapi, 'POST', '/passkeys/authentication/options', { from: passkeys, body: { email: 'fresh@example.com' } }),
      await call(strapi, 'POST', '/passkeys/authentication/options', { from: passkeys }),
    ];
    let localLimited;
    for (let i = 1; i <= 11; i++) {
      localLimited = await call(strapi, 'POST', '/auth/local', {
        from: password,
        body: { identifier: `person${i}@example.com`, password: 'nope', email: `person${i}@example.com` },
      });
    }
    assertRefused(localLimited, 429, 'RateLimitError', 'Too many requests, please try again later.');
    for (const answer of limited) {
      assert.deepEqual({ status: answer.status, body: answer.body }, { status: localLimited.status, body: localLimited.body });
      assert.equal(answer.headers['x-ratelimit-limit'], localLimited.headers['x-ratelimit-limit']);
      assert.equal(answer.headers['x-ratelimit-remaining'], '0');
    }
  });
});

describe('a challenge that lives 1 s', () => {
  let strapi;
  let jwt;
  before(async () => {
    strapi = await starting.shortTtl;
    jwt = (await logIn(strapi)).body.jwt;
  });

  test('answered in time it works; answered after it expired it is refused', async () => {
    const { passkey } = await registerPasskey(strapi, jwt, { name: 'Quick' });
    assertOk(await signIn(strapi, passkey), 'sign-in within the second');

    const late = await authenticationOptions(strapi);
    await sleep(1500);
    assertRefused(await authenticationVerify(strapi, passkey.assert(late)), 400, 'ValidationError', STALE);

    const fresh = new Passkey();
    const options = await registrationOptions(strapi, jwt);
    await sleep(1500);
    assertRefused(await registrationVerify(strapi, jwt, 'Late', fresh.attest(options)), 400, 'ValidationError', STALE);
    assert.deepEqual((await listPasskeys(strapi, jwt)).map((p) => p.name), ['Quick']);
  });
});
