// What the plugin's tests stand on: real Strapi instances of the repository's development Strapi
// (strapi/, which installs this plugin from ../strapi-plugin-passkeys on every start), started and
// stopped by scripts/strapi.sh, and plain HTTP requests to them.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import http from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { Passkey } from './authenticator.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SCRIPT = join(ROOT, 'scripts/strapi.sh');
const run = promisify(execFile);

// The demo user strapi/src/index.js seeds on every start.
export const DEMO = { username: 'demo', email: 'demo@example.com', password: 'Demo-Passw0rd!' };
// Where the tests' passkeys are used (the app's origin); the relying party id is its host.
export const ORIGIN = 'http://localhost:3000';

/**
 * Resets the Strapi of scripts/strapi.sh on `port` to a fresh database (demo user only) and starts
 * it with these settings: mode 'legacy' | 'refresh', refreshCookie (httpOnly cookie by config),
 * rateLimit, confirmation (email confirmation), challengeTtl (ms), origins (passkey origins),
 * maxPasskeys, maxChallenges, passkeysFirst (passkeys declared before Users & Permissions, as in
 * the plugin README). `fresh: false` starts it (stopped) on the database it had instead.
 * `database: {url}`: on the PostgreSQL database at `url` (postgres://…, e.g. from
 * scripts/postgres.sh create) instead of a SQLite file of its own; several instances may share one,
 * and only the first of them is started `fresh` (that empties the database).
 */
export async function startStrapi({
  port,
  mode = 'legacy',
  refreshCookie = false,
  rateLimit = false,
  confirmation = false,
  challengeTtl,
  confirmationTtl,
  mails = true,
  origins = [ORIGIN],
  maxPasskeys,
  maxChallenges,
  passkeysFirst = false,
  fresh = true,
  database,
}) {
  const env = {
    ...process.env,
    STRAPI_PORT: String(port),
    STRAPI_JWT_MODE: mode,
    STRAPI_REFRESH_COOKIE: refreshCookie ? 'on' : 'off',
    STRAPI_RATE_LIMIT: rateLimit ? 'on' : 'off',
    STRAPI_EMAIL_CONFIRMATION: String(confirmation),
    STRAPI_ALLOW_REGISTER: 'true',
    STRAPI_API_PREFIX: '/api',
    STRAPI_APP_URL: ORIGIN,
    STRAPI_CORS_ORIGINS: ORIGIN,
    STRAPI_PASSKEY_ORIGINS: origins.join(','),
    STRAPI_PASSKEY_MAILS: String(mails),
    STRAPI_PASSKEYS_FIRST: String(passkeysFirst),
    STRAPI_PUBLIC_URL: `http://127.0.0.1:${port}`,
  };
  // Only what this call sets: nothing inherited from the shell that runs the tests.
  for (const name of [
    'STRAPI_PASSKEY_RP_ID',
    'STRAPI_PASSKEY_CHALLENGE_TTL',
    'STRAPI_PASSKEY_CONFIRMATION_TTL',
    'STRAPI_PASSKEY_MAX_PASSKEYS',
    'STRAPI_PASSKEY_MAX_CHALLENGES',
    'STRAPI_ACCESS_TOKEN_LIFESPAN',
  ]) {
    delete env[name];
  }
  if (challengeTtl !== undefined) env.STRAPI_PASSKEY_CHALLENGE_TTL = String(challengeTtl);
  for (const name of ['DATABASE_CLIENT', 'DATABASE_URL', 'DATABASE_SCHEMA']) delete env[name];
  if (database) Object.assign(env, { DATABASE_CLIENT: 'postgres', DATABASE_URL: database.url });
  if (confirmationTtl !== undefined) env.STRAPI_PASSKEY_CONFIRMATION_TTL = String(confirmationTtl);
  if (maxPasskeys !== undefined) env.STRAPI_PASSKEY_MAX_PASSKEYS = String(maxPasskeys);
  if (maxChallenges !== undefined) env.STRAPI_PASSKEY_MAX_CHALLENGES = String(maxChallenges);
  const strapi = {
    port,
    mode,
    api: `http://127.0.0.1:${port}/api`,
    // The mail catcher scripts/strapi.sh starts beside it (MailDev's REST API).
    inbox: `http://127.0.0.1:${port + 21000}`,
    database: join(ROOT, 'strapi/.tmp', String(port), 'data.db'),
    stop: () => stopStrapi(port),
  };
  // A second try: a start can lose a race it did not cause (see startOneAfterAnother).
  for (let attempt = 1; ; attempt++) {
    try {
      await run(SCRIPT, [fresh ? 'reset' : 'start'], { env, timeout: 150_000 });
      return strapi;
    } catch (error) {
      if (attempt === 2) throw new Error(`Strapi on port ${port} did not start: ${error.stderr || error.message}`);
    }
  }
}

/**
 * Starts Strapi instances (settings as for startStrapi) one after another, each once the one
 * before answers, and gives back their promises at once, so a test can use the first while the
 * next starts. Not in parallel: every start of scripts/strapi.sh first copies this plugin's files
 * afresh into the Strapi's node_modules (rm -rf, then cp), and a copy that overlaps another
 * start's copy, or a booting Strapi reading those files, makes that start fail.
 */
export function startOneAfterAnother(settings) {
  let previous = Promise.resolve();
  return settings.map((one) => {
    const started = previous.catch(() => {}).then(() => startStrapi(one));
    previous = started;
    // No unhandled rejection before a test awaits it; the test that does reports the failure.
    started.catch(() => {});
    return started;
  });
}

/** Stops the Strapi on `port` and its companions (mail catcher, OAuth provider), if running. */
export const stopStrapi = (port) =>
  run(SCRIPT, ['stop'], { env: { ...process.env, STRAPI_PORT: String(port) } }).catch(() => {});

/**
 * One HTTP request to a Strapi: `path` under its /api, JSON `body`, Bearer `token`. `from` is the
 * local address to send from (another 127.x.y.z: another client for the rate limiter). Answers
 * `{status, headers, body}` with the body parsed as JSON when it is JSON.
 */
export function call(strapi, method, path, { token, body, headers = {}, from } = {}) {
  const url = new URL(strapi.api + path);
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((done, fail) => {
    const request = http.request(
      url,
      {
        method,
        agent: false,
        localAddress: from,
        headers: {
          accept: 'application/json',
          'user-agent': 'strapi-plugin-passkeys-tests',
          ...(data ? { 'content-type': 'application/json', 'content-length': data.length } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        timeout: 30_000,
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {}
          done({ status: response.statusCode, headers: response.headers, body: parsed });
        });
        response.on('error', fail);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${method} ${url} took over 30 s`)));
    request.on('error', fail);
    request.end(data);
  });
}

/** Asserts `answer` is Strapi's error envelope with this status, error name and message. */
export function assertRefused(answer, status, name, message) {
  assert.deepEqual(
    { status: answer.status, body: answer.body },
    { status, body: { data: null, error: { status, name, message, details: {} } } },
  );
}

export function assertOk(answer, what) {
  assert.equal(answer.status, 200, `${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** /auth/local with a password: the answer, checked to be a 200. */
export async function logIn(strapi, { identifier = DEMO.email, password = DEMO.password, headers } = {}) {
  const answer = await call(strapi, 'POST', '/auth/local', { body: { identifier, password }, headers });
  assertOk(answer, `/auth/local as ${identifier}`);
  passwords.set(answer.body.jwt, password);
  return answer;
}

/** A new account through /auth/local/register (sign-up open, no email confirmation): its answer. */
export async function signUp(strapi, username) {
  const answer = await call(strapi, 'POST', '/auth/local/register', {
    body: { username, email: `${username}@example.com`, password: 'Other-Passw0rd!' },
  });
  assertOk(answer, `sign-up of ${username}`);
  passwords.set(answer.body.jwt, 'Other-Passw0rd!');
  return { ...answer.body, identifier: `${username}@example.com`, password: 'Other-Passw0rd!' };
}

// The password behind each token logIn and signUp got, so the helpers below can confirm it is
// the person ("confirm it's you") as the app would ask them to.
const passwords = new Map();
const confirmations = new Map();

/** `POST /passkeys/confirmation/password` for the person of `token`: the raw answer. */
export const confirmWithPassword = (strapi, token, password) =>
  call(strapi, 'POST', '/passkeys/confirmation/password', { token, body: { password } });

/**
 * A confirmation for the person of `token` (by the password it was signed in with), kept per token
 * and Strapi, as the app keeps one while it lasts.
 */
export async function confirmation(strapi, token) {
  const key = `${strapi.port} ${token}`;
  if (!confirmations.has(key)) {
    if (!passwords.has(token)) throw new Error('confirmation: no password known for this token');
    const answer = await confirmWithPassword(strapi, token, passwords.get(token));
    confirmations.set(key, assertOk(answer, 'confirmation by password').confirmation);
  }
  return confirmations.get(key);
}

/** Registration options for the person of `token`: the PublicKeyCredentialCreationOptionsJSON. */
export async function registrationOptions(strapi, token) {
  const body = { confirmation: await confirmation(strapi, token) };
  return assertOk(await call(strapi, 'POST', '/passkeys/registration/options', { token, body }), 'registration options');
}

/** Posts a RegistrationResponseJSON under `name` for the person of `token`: the raw answer. */
export const registrationVerify = async (strapi, token, name, credential) =>
  call(strapi, 'POST', '/passkeys/registration/verify', {
    token,
    body: { name, credential, confirmation: await confirmation(strapi, token) },
  });

/** A new passkey (or `passkey`) registered for the person of `token`, checked to be kept. */
export async function registerPasskey(strapi, token, { name = 'Test passkey', passkey = new Passkey() } = {}) {
  const options = await registrationOptions(strapi, token);
  const kept = assertOk(await registrationVerify(strapi, token, name, passkey.attest(options)), 'registration');
  return { passkey, kept };
}

/** `POST /passkeys/remove` of passkey `id` for the person of `token`, confirmed: the raw answer. */
export const removePasskey = async (strapi, token, id) =>
  call(strapi, 'POST', '/passkeys/remove', { token, body: { id, confirmation: await confirmation(strapi, token) } });

/** Sign-in options: the PublicKeyCredentialRequestOptionsJSON. */
export async function authenticationOptions(strapi) {
  return assertOk(await call(strapi, 'POST', '/passkeys/authentication/options'), 'authentication options');
}

/** Posts an AuthenticationResponseJSON (and more of the body, e.g. deviceId): the raw answer. */
export const authenticationVerify = (strapi, credential, { extra = {}, headers } = {}) =>
  call(strapi, 'POST', '/passkeys/authentication/verify', { body: { credential, ...extra }, headers });

/**
 * A whole sign-in with `passkey`: fresh options, an assertion (bent by `assertion`, see
 * Passkey.assert), the verify answer.
 */
export async function signIn(strapi, passkey, { assertion, extra, headers } = {}) {
  const options = await authenticationOptions(strapi);
  return authenticationVerify(strapi, passkey.assert(options, assertion), { extra, headers });
}

/** The passkeys of the person of `token`, as GET /api/passkeys lists them. */
export async function listPasskeys(strapi, token) {
  return assertOk(await call(strapi, 'GET', '/passkeys', { token }), 'passkey list');
}

/**
 * What an administrator's click in the admin panel does to an account (Content Manager → User →
 * Blocked / Confirmed): one column of up_users set in this Strapi's SQLite database.
 */
export function setUserColumn(strapi, userId, column, value) {
  if (!['blocked', 'confirmed'].includes(column)) throw new Error(`not a column to set: ${column}`);
  const Database = createRequire(join(ROOT, 'strapi/package.json'))('better-sqlite3');
  const db = new Database(strapi.database, { timeout: 10_000 });
  try {
    const { changes } = db.prepare(`UPDATE up_users SET ${column} = ? WHERE id = ?`).run(value ? 1 : 0, userId);
    assert.equal(changes, 1, `no user ${userId} in ${strapi.database}`);
  } finally {
    db.close();
  }
}

/** The Set-Cookie of `name` in an answer, as `{value, attributes}` (attributes lower-cased, sorted, no expires). */
export function cookieOf(answer, name) {
  const line = [answer.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith(`${name}=`));
  if (!line) return undefined;
  const [pair, ...attributes] = line.split(';').map((part) => part.trim());
  return {
    value: pair.slice(name.length + 1),
    attributes: attributes
      .map((a) => a.toLowerCase())
      .filter((a) => !a.startsWith('expires='))
      .sort(),
  };
}

/** The mails the mail catcher beside `strapi` holds for `to`, oldest first: `{subject, text, html, date}`. */
export async function mailsTo(strapi, to) {
  const answer = await fetch(`${strapi.inbox}/api/email`);
  assert.equal(answer.status, 200, 'the mail catcher answers');
  const all = await answer.json();
  return all
    .filter((mail) => mail.to?.some((address) => address.address.toLowerCase() === to.toLowerCase()))
    .map(({ subject, text, html, date }) => ({ subject, text, html, date }));
}
