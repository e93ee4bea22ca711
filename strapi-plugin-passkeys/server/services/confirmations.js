'use strict';

// "Confirm it's you": a confirmation is a short-lived secret the plugin hands to a person who has
// just proved it is them: their password, one of their passkeys, or a sign-in this very moment
// through their provider or a password reset (then it comes in that answer, never for a token
// later). Adding or removing a way into the account asks for one, so that an access token alone
// (copied from a browser's storage, say) is not enough; a renewed token proves nothing. Only
// digests are stored, in the database, so every Strapi process behind a load balancer honours
// them. Each is bound to the password the person had when it was issued: any change of password
// (theirs, a reset, an administrator's) ends it, with no window for a race.

const crypto = require('node:crypto');
const { errors } = require('@strapi/utils');

const { ApplicationError, PolicyError, RateLimitError, ValidationError } = errors;

const RECORD = 'plugin::passkeys.confirmation';
const USER = 'plugin::users-permissions.user';
const CREDENTIAL = 'plugin::passkeys.credential';

// The plugin's messages, word for word (clients recognise them); a wrong password is refused with
// Users & Permissions' own words for it.
const REQUIRED = 'Confirmation required';
const WRONG_PASSWORD = 'The provided current password is invalid';
const NO_PASSWORD = 'This account has no password';
const TOO_MANY = 'Too many requests, please try again later.';
// Refused as a policy refuses: a 403 with this message. (Strapi answers any other 403 thrown
// behind its permission check with a bare "Forbidden", which a client could not tell apart.)
const required = () => new PolicyError(REQUIRED);

// Wrong passwords per person before confirming by password pauses, and for how long: Users &
// Permissions' limiter counts per address, and a script holding a copied token can use many.
const FAILURES_MAX = 5;
const FAILURES_WINDOW = 15 * 60 * 1000;
// Live confirmations per person: more than any person needs; a bound on what a script can store.
const LIVE_MAX = 20;
// A confirmation is 43 characters; anything much longer is not one (and is not hashed).
const SECRET_MAX = 128;
// Users & Permissions refuses passwords over 72 bytes; bcrypt would ignore the rest anyway.
const PASSWORD_MAX_BYTES = 72;

const digest = (secret) => crypto.createHash('sha256').update(secret).digest('base64url');
const later = (ms) => new Date(Date.now() + ms);
const random = () => crypto.randomBytes(32).toString('base64url');

module.exports = ({ strapi }) => {
  const records = () => strapi.db.query(RECORD);
  // What a confirmation is bound to: the person's password as stored now (none: the empty one).
  const passwordOf = async (userId) => {
    const user = await strapi.db.query(USER).findOne({ where: { id: userId }, select: ['id', 'password'] });
    return user ? digest(`password:${user.password ?? ''}`) : null;
  };
  const live = (where) => records().count({ where: { ...where, expiresAt: { $gt: new Date() } } });

  // Expired records are swept at most once a minute per process (the expiresAt index serves it).
  let sweptAt = 0;
  async function sweep() {
    if (Date.now() - sweptAt < 60 * 1000) return;
    sweptAt = Date.now();
    await records().deleteMany({ where: { expiresAt: { $lt: new Date() } } });
  }

  return {
    /** How `user` can confirm: `{password, passkey, provider}`. */
    async methods(user) {
      const stored = await strapi.db.query(USER).findOne({ where: { id: user.id }, select: ['id', 'password', 'provider'] });
      const passkeys = await strapi.db.query(CREDENTIAL).count({ where: { user: { id: user.id } } });
      return {
        password: Boolean(stored?.password),
        passkey: passkeys > 0,
        provider: stored?.provider && stored.provider !== 'local' ? stored.provider : null,
      };
    },

    /**
     * A new confirmation for `user`, who proved it is them by `method`: `{confirmation, expiresAt}`.
     * `password` is the digest of the stored password it is bound to (default: the one stored now).
     */
    async issue(user, method, password) {
      await sweep();
      if ((await live({ userId: user.id, kind: 'confirmation' })) >= LIVE_MAX) throw new RateLimitError(TOO_MANY);
      const secret = random();
      const expiresAt = later(strapi.config.get('plugin::passkeys.confirmationTtl'));
      await records().create({
        data: {
          kind: 'confirmation',
          userId: user.id,
          secretHash: digest(secret),
          password: password ?? (await passwordOf(user.id)),
          method,
          expiresAt,
        },
      });
      return { confirmation: secret, expiresAt: expiresAt.toISOString() };
    },

    /** A confirmation for `user`, who typed their password. */
    async withPassword(user, password) {
      // The attempt counts before the comparison, so concurrent guesses cannot all pass the count.
      const attempt = random();
      await records().create({
        data: { kind: 'failure', userId: user.id, secretHash: digest(attempt), expiresAt: later(FAILURES_WINDOW) },
      });
      if ((await live({ userId: user.id, kind: 'failure' })) > FAILURES_MAX) throw new RateLimitError(TOO_MANY);
      const stored = await strapi.db.query(USER).findOne({ where: { id: user.id }, select: ['id', 'password'] });
      if (!stored?.password) {
        await records().deleteMany({ where: { secretHash: digest(attempt) } });
        throw new ApplicationError(NO_PASSWORD);
      }
      const right =
        typeof password === 'string' &&
        password.length > 0 &&
        Buffer.byteLength(password) <= PASSWORD_MAX_BYTES &&
        (await strapi.plugin('users-permissions').service('user').validatePassword(password, stored.password));
      if (!right) throw new ValidationError(WRONG_PASSWORD);
      await records().deleteMany({ where: { secretHash: digest(attempt) } });
      // Bound to the password just checked: if a reset changed it meanwhile, this one never works.
      return this.issue(user, 'password', digest(`password:${stored.password}`));
    },

    /** A confirmation for `user`, who answered a confirmation challenge with one of their passkeys. */
    async withPasskey(user, response) {
      await strapi.plugin('passkeys').service('passkeys').authenticate(response, user);
      return this.issue(user, 'passkey');
    },

    /** Refuses unless `confirmation` is one of `user`'s, unexpired, issued under their current password. */
    async check(user, confirmation) {
      if (typeof confirmation !== 'string' || confirmation.length === 0 || confirmation.length > SECRET_MAX) {
        throw required();
      }
      const found = await records().findOne({
        where: { kind: 'confirmation', userId: user.id, secretHash: digest(confirmation), expiresAt: { $gt: new Date() } },
      });
      if (!found || found.password !== (await passwordOf(user.id))) throw required();
    },

    /**
     * Forgets every confirmation of `userId`, and their wrong-password count (their password
     * changed: whoever held a confirmation may not be them, and the person starts afresh).
     */
    async revokeAll(userId) {
      await records().deleteMany({ where: { userId } });
    },
  };
};
