// The plugin across several Strapi processes behind a load balancer: two instances of the
// development Strapi (scripts/strapi.sh, ports 1631 and 1632, legacy JWT mode, one JWT_SECRET from
// strapi/.env) sharing one PostgreSQL database, on a private PostgreSQL cluster that
// scripts/postgres.sh runs (a fresh database per run). Every piece of the plugin's state
// (challenges, passkeys, confirmations) lives in that database, so a ceremony may start on one
// instance and end on the other, and requests racing on both must not let anything happen twice.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

import { Passkey } from './authenticator.mjs';
import {
  ROOT,
  assertOk,
  authenticationOptions,
  authenticationVerify,
  call,
  listPasskeys,
  logIn,
  signUp,
  startStrapi,
  stopStrapi,
} from './strapi.mjs';

const run = promisify(execFile);
const POSTGRES = join(ROOT, 'scripts/postgres.sh');
const postgres = (...args) => run(POSTGRES, args, { timeout: 120_000 });

const PORTS = [1631, 1632];
const DATABASE = `passkeys_cluster_${process.pid}`;

// The plugin's messages, word for word.
const REFUSED = 'Invalid passkey';
const STALE = 'Passkey challenge expired or already used';
const TAKEN = 'Passkey already registered';
const NOT_FOUND = 'Passkey not found';
const REQUIRED = 'Confirmation required';

// PostgreSQL (left running if it already was), a fresh database, then instance A on it (which
// makes the tables) and, once A answers, instance B on the same database (not emptied again).
const cluster = (async () => {
  const wasRunning = await postgres('status').then(
    () => true,
    () => false,
  );
  await postgres('start');
  const url = (await postgres('create', DATABASE)).stdout.trim();
  return { wasRunning, url };
})();
const instances = cluster.then(async ({ url }) => {
  await Promise.all(PORTS.map(stopStrapi));
  const a = await startStrapi({ port: PORTS[0], mode: 'legacy', database: { url } });
  const b = await startStrapi({ port: PORTS[1], mode: 'legacy', database: { url }, fresh: false });
  return [a, b];
});
instances.catch(() => {});

let db; // a pg client on the shared database, to read what the instances stored

after(async () => {
  await db?.end().catch(() => {});
  await Promise.all(PORTS.map(stopStrapi));
  const { wasRunning } = await cluster.catch(() => ({ wasRunning: true }));
  await postgres('drop', DATABASE).catch((error) => console.error(`could not drop ${DATABASE}: ${error.stderr || error.message}`));
  if (!wasRunning) await postgres('stop').catch(() => {});
});

const keys = (object) => Object.keys(object).sort();
const statuses = (answers) => answers.map((a) => a.status).sort((x, y) => x - y);
const bodies = (answers) => JSON.stringify(answers.map((a) => [a.status, a.body?.error?.message ?? 'ok']));

/** Checks a sign-in answer against /auth/local's for the same person, key for key. */
function assertLikeLocal(answer, local) {
  const body = assertOk(answer, 'passkey sign-in');
  assert.deepEqual(keys(body), keys(local.body), 'the keys /auth/local answers with');
  assert.deepEqual(body.user, local.body.user, 'the user /auth/local answers with');
  assert.equal(typeof body.jwt, 'string');
  return body;
}

/** Asserts a refusal by status, error name and message (details not compared). */
function assertRefusedAs(answer, status, name, message) {
  assert.deepEqual(
    { status: answer.status, name: answer.body?.error?.name, message: answer.body?.error?.message },
    { status, name, message },
  );
}

/** A confirmation ("confirm it's you", by password) for `person`, issued by `strapi`. */
async function confirm(strapi, person) {
  const answer = await call(strapi, 'POST', '/passkeys/confirmation/password', {
    token: person.jwt,
    body: { password: person.password },
  });
  return assertOk(answer, `confirmation by password at ${strapi.port}`).confirmation;
}

/** Registration options from `strapi` for `person`, with `confirmation`. */
async function creationOptions(strapi, person, confirmation) {
  const answer = await call(strapi, 'POST', '/passkeys/registration/options', {
    token: person.jwt,
    body: { confirmation },
  });
  return assertOk(answer, `registration options at ${strapi.port}`);
}

/** Posts a registration to `strapi`: the raw answer. */
const creationVerify = (strapi, person, confirmation, name, credential) =>
  call(strapi, 'POST', '/passkeys/registration/verify', {
    token: person.jwt,
    body: { confirmation, name, credential },
  });

/** A new passkey for `person`: options from `from`, verified at `to`. */
async function register(from, to, person, name, confirmation) {
  const passkey = new Passkey();
  const options = await creationOptions(from, person, confirmation);
  const kept = assertOk(await creationVerify(to, person, confirmation, name, passkey.attest(options)), 'registration');
  return { passkey, kept };
}

/** The signature counter the database holds for `passkey`. */
async function storedCounter(passkey) {
  const { rows } = await db.query('SELECT counter FROM passkeys_credentials WHERE credential_id = $1', [
    passkey.credentialId,
  ]);
  assert.equal(rows.length, 1, `one stored row for ${passkey.credentialId}`);
  return Number(rows[0].counter);
}

// A fixed shuffle, so the requests do not reach the instances in counter order.
const shuffled = (items) =>
  items
    .map((item, i) => [(i * 7919 + 13) % 101, item])
    .sort(([x], [y]) => x - y)
    .map(([, item]) => item);

describe('two Strapi instances on one PostgreSQL database', () => {
  let a;
  let b;
  let people = 0;
  const newPerson = (strapi) => signUp(strapi, `cluster${++people}`);

  before(async () => {
    [a, b] = await instances;
    const pg = createRequire(join(ROOT, 'strapi/package.json'))('pg');
    db = new pg.Client({ connectionString: (await cluster).url });
    await db.connect();
  });

  test('sign-in options from one instance, verified at the other: the answer of /auth/local', async () => {
    const person = await newPerson(a);
    // Registration crosses too: a confirmation and options from A, the verify at B.
    const confirmation = await confirm(a, person);
    const { passkey, kept } = await register(a, b, person, 'Crossed', confirmation);
    for (const strapi of [a, b]) assert.deepEqual(await listPasskeys(strapi, person.jwt), [kept]);

    for (const [from, to] of [
      [a, b],
      [b, a],
    ]) {
      const local = await logIn(to, { identifier: person.identifier, password: person.password });
      const body = assertLikeLocal(await authenticationVerify(to, passkey.assert(await authenticationOptions(from))), local);
      // One JWT_SECRET: the token works at either instance.
      for (const strapi of [a, b]) {
        const me = await call(strapi, 'GET', '/users/me', { token: body.jwt });
        assert.equal(me.status, 200, `/users/me at ${strapi.port}: ${JSON.stringify(me.body)}`);
        assert.equal(me.body.id, person.user.id);
      }
    }
    const used = await listPasskeys(b, person.jwt);
    assert.ok(used[0].lastUsedAt, 'lastUsedAt seen by both');
    assert.deepEqual(await listPasskeys(a, person.jwt), used);
  });

  test('one assertion sent 10 times at once to both instances signs in exactly once', async () => {
    const person = await newPerson(b);
    const { passkey } = await register(b, b, person, 'Raced', await confirm(b, person));
    const local = await logIn(a, { identifier: person.identifier, password: person.password });
    for (let round = 0; round < 3; round++) {
      const credential = passkey.assert(await authenticationOptions(round % 2 ? a : b));
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => authenticationVerify(i % 2 ? a : b, credential)),
      );
      assert.deepEqual(statuses(answers), [200, ...Array(9).fill(400)], bodies(answers));
      assertLikeLocal(answers.find((x) => x.status === 200), local);
      for (const refused of answers.filter((x) => x.status !== 200)) assertRefusedAs(refused, 400, 'ValidationError', STALE);
    }
  });

  test('the signature counter never goes backwards under concurrent sign-ins at both instances', async () => {
    const person = await newPerson(a);
    const { passkey } = await register(a, a, person, 'Counted', await confirm(a, person));
    const local = await logIn(a, { identifier: person.identifier, password: person.password });
    assert.equal(await storedCounter(passkey), 0);

    for (let round = 0; round < 3; round++) {
      // Eight assertions with counters base+1 … base+8, each on its own challenge, all sent at once.
      const base = passkey.signCount;
      const options = await Promise.all(Array.from({ length: 8 }, (_, i) => authenticationOptions(i % 2 ? a : b)));
      const assertions = options.map((o, i) => ({ counter: base + i + 1, credential: passkey.assert(o, { signCount: base + i + 1 }) }));
      const sent = shuffled(assertions);
      // What the database holds while they race, read over and over: it must never decrease.
      const seen = [];
      let racing = true;
      const watching = (async () => {
        while (racing) {
          seen.push(await storedCounter(passkey));
          await sleep(2);
        }
      })();
      const answers = await Promise.all(sent.map((s, i) => authenticationVerify(i % 2 ? a : b, s.credential)));
      racing = false;
      await watching;
      const accepted = sent.filter((_, i) => answers[i].status === 200).map((s) => s.counter);
      for (const answer of answers) {
        if (answer.status === 200) assertLikeLocal(answer, local);
        else assertRefusedAs(answer, 400, 'ValidationError', REFUSED);
      }
      const stored = await storedCounter(passkey);
      seen.push(stored);
      assert.ok(accepted.includes(base + 8), `the highest counter is accepted: ${bodies(answers)}`);
      assert.equal(stored, Math.max(...accepted), `stored counter ${stored}, accepted ${accepted}`);
      for (let i = 1; i < seen.length; i++) {
        assert.ok(seen[i] >= seen[i - 1], `the stored counter went back from ${seen[i - 1]} to ${seen[i]}: ${seen}`);
      }
      // Nothing at or below the stored counter signs in afterwards, at either instance.
      for (const strapi of [a, b]) {
        const again = passkey.assert(await authenticationOptions(strapi), { signCount: stored });
        assertRefusedAs(await authenticationVerify(strapi, again), 400, 'ValidationError', REFUSED);
      }
      passkey.signCount = stored;
    }
  });

  test('of two assertions with the same counter sent at once to both instances, one signs in', async () => {
    const person = await newPerson(b);
    const { passkey } = await register(b, a, person, 'Twins', await confirm(a, person));
    for (let round = 0; round < 8; round++) {
      const counter = passkey.signCount + 1;
      const [first, second] = await Promise.all([authenticationOptions(a), authenticationOptions(b)]);
      const credentials = [passkey.assert(first, { signCount: counter }), passkey.assert(second, { signCount: counter })];
      const answers = await Promise.all([authenticationVerify(a, credentials[0]), authenticationVerify(b, credentials[1])]);
      assert.deepEqual(statuses(answers), [200, 400], `round ${round}, counter ${counter}: ${bodies(answers)}`);
      assertRefusedAs(answers.find((x) => x.status === 400), 400, 'ValidationError', REFUSED);
      assert.equal(await storedCounter(passkey), counter);
    }
  });

  test('one passkey registered at both instances at once: one 200, the rest "already registered", never a 500', async () => {
    const person = await newPerson(a);
    const confirmation = await confirm(a, person);
    const rounds = 8;
    for (let round = 0; round < rounds; round++) {
      const passkey = new Passkey();
      // Six registrations of one credential, each on its own challenge, three at each instance
      // (browser tabs, or a double click, through a load balancer). Without the plugin's handling
      // of the unique index, about half of such rounds answer one of them with a 500.
      const at = [a, b, a, b, a, b];
      const options = await Promise.all(at.map((strapi) => creationOptions(strapi, person, confirmation)));
      const answers = await Promise.all(
        at.map((strapi, i) => creationVerify(strapi, person, confirmation, `Twice ${round}`, passkey.attest(options[i]))),
      );
      assert.ok(answers.every((x) => x.status < 500), `round ${round}: ${bodies(answers)}`);
      assert.deepEqual(statuses(answers), [200, 400, 400, 400, 400, 400], `round ${round}: ${bodies(answers)}`);
      for (const refused of answers.filter((x) => x.status === 400)) assertRefusedAs(refused, 400, 'ApplicationError', TAKEN);
      const listed = (await listPasskeys(b, person.jwt)).filter((p) => p.id === passkey.credentialId);
      assert.equal(listed.length, 1, `kept once: ${JSON.stringify(listed)}`);
    }
    assert.equal((await listPasskeys(a, person.jwt)).length, rounds);
  });

  test("a confirmation issued by one instance is honoured by the other: add, then remove", async () => {
    const person = await newPerson(a);
    const issued = assertOk(
      await call(a, 'POST', '/passkeys/confirmation/password', { token: person.jwt, body: { password: person.password } }),
      'confirmation at A',
    );
    assert.match(issued.confirmation, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(Date.parse(issued.expiresAt) > Date.now());
    const { confirmation } = issued;

    // Added at B with A's confirmation, and a second one the other way round.
    const { passkey, kept } = await register(b, b, person, 'Added at B', confirmation);
    const { kept: other } = await register(a, b, person, 'Second', confirmation);
    assert.deepEqual(await listPasskeys(a, person.jwt), [kept, other]);

    // Someone else's confirmation (issued by B) is no good for this person at A.
    const stranger = await newPerson(b);
    const theirs = await confirm(b, stranger);
    const refused = await call(a, 'POST', '/passkeys/registration/options', { token: person.jwt, body: { confirmation: theirs } });
    assert.deepEqual({ status: refused.status, message: refused.body?.error?.message }, { status: 403, message: REQUIRED });

    // Removed at B with A's confirmation: gone for A too, and its sign-in is unknown there.
    const removed = await call(b, 'POST', '/passkeys/remove', { token: person.jwt, body: { confirmation, id: kept.id } });
    assert.deepEqual(assertOk(removed, 'removal at B'), kept);
    assert.deepEqual(
      (await listPasskeys(a, person.jwt)).map((p) => p.id),
      [other.id],
    );
    assertRefusedAs(
      await authenticationVerify(a, passkey.assert(await authenticationOptions(b))),
      404,
      'NotFoundError',
      NOT_FOUND,
    );
    const all = await call(a, 'POST', '/passkeys/remove-all', { token: person.jwt, body: { confirmation } });
    assert.deepEqual(assertOk(all, 'remove-all at A'), { removed: 1 });
    assert.deepEqual(await listPasskeys(b, person.jwt), []);
  });

  test('a password changed at one instance ends the confirmations the other issued', async () => {
    const person = await newPerson(a);
    const confirmation = await confirm(a, person);
    await creationOptions(b, person, confirmation);
    const changed = await call(b, 'POST', '/auth/change-password', {
      token: person.jwt,
      body: { currentPassword: person.password, password: 'Newer-Passw0rd!', passwordConfirmation: 'Newer-Passw0rd!' },
    });
    const { jwt } = assertOk(changed, 'password change at B');
    for (const strapi of [a, b]) {
      const answer = await call(strapi, 'POST', '/passkeys/registration/options', { token: jwt, body: { confirmation } });
      assert.deepEqual({ status: answer.status, message: answer.body?.error?.message }, { status: 403, message: REQUIRED });
    }
  });
});
