'use strict';

const crypto = require('node:crypto');
const {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} = require('@simplewebauthn/server');
const { errors } = require('@strapi/utils');

const { ApplicationError, NotFoundError, ValidationError } = errors;

const CREDENTIAL = 'plugin::passkeys.credential';
const CHALLENGE = 'plugin::passkeys.challenge';
const USER = 'plugin::users-permissions.user';

// The messages this plugin answers with, word for word (clients recognise them, as they recognise
// /auth/local's). One message for every refused passkey: which check failed is nobody's business.
const REFUSED = 'Invalid passkey';
const TAKEN = 'Passkey already registered';
const BAD_NAME = 'Invalid passkey name';
const NOT_FOUND = 'Passkey not found';
const TOO_MANY = 'Too many passkeys';
// /auth/local's own.
const NOT_CONFIRMED = 'Your account email is not confirmed';
const BLOCKED = 'Your account has been blocked by an administrator';
const PROVIDER_DISABLED = 'This provider is disabled';

const NAME_MAX = 64;
const CREDENTIAL_ID_MAX = 255;
// What is kept of a new passkey comes from the browser: bounded, so no one can store (and have
// sent back in every options answer) more than a passkey needs. A COSE public key is 77 bytes for
// ES256, about 270 for RS256 with a 2048-bit key, 530 with a 4096-bit one.
const PUBLIC_KEY_MAX = 1024;
// WebAuthn's AuthenticatorTransport values; browsers may add new ones, which are left out (kept
// only as hints for the browser, a missing one costs nothing).
const TRANSPORTS = ['usb', 'nfc', 'ble', 'smart-card', 'hybrid', 'internal', 'cable'];
const TRANSPORTS_MAX = 8;
const knownTransports = (list) =>
  Array.isArray(list) ? [...new Set(list.filter((transport) => TRANSPORTS.includes(transport)))] : [];

const b64url = {
  encode: (bytes) => Buffer.from(bytes).toString('base64url'),
  decode: (text) => new Uint8Array(Buffer.from(text, 'base64url')),
};

module.exports = ({ strapi }) => {
  const settings = () => {
    const config = strapi.config.get('plugin::passkeys');
    return { ...config, rpId: config.rpId ?? new URL(config.origins[0]).hostname };
  };

  const challenges = () => strapi.plugin('passkeys').service('challenges');
  const issue = (...args) => challenges().issue(...args);
  const consume = (...args) => challenges().consume(...args);

  const credentialsOf = (userId) =>
    strapi.db.query(CREDENTIAL).findMany({ where: { user: { id: userId } }, orderBy: { createdAt: 'asc' } });

  const shown = (credential) => ({
    id: credential.credentialId,
    name: credential.name,
    createdAt: credential.createdAt,
    lastUsedAt: credential.lastUsedAt ?? null,
  });

  return {
    /** Options for `navigator.credentials.create()`: a new passkey for `user`. */
    async registrationOptions(user) {
      const { rpId, rpName, timeout, maxPasskeys } = settings();
      const existing = await credentialsOf(user.id);
      // Refused before the prompt too, so a person at the bound is not left with a passkey on
      // their device that Strapi then turns down.
      if (existing.length >= maxPasskeys) throw new ApplicationError(TOO_MANY);
      // One user handle per person, so an authenticator replaces its passkey for them instead of
      // keeping two.
      const userHandle = existing[0]?.userHandle ?? b64url.encode(crypto.randomBytes(32));
      const options = await generateRegistrationOptions({
        rpName,
        rpID: rpId,
        userID: b64url.decode(userHandle),
        userName: user.email ?? user.username,
        userDisplayName: user.username ?? '',
        timeout,
        attestationType: 'none',
        excludeCredentials: existing.map((c) => ({ id: c.credentialId, transports: knownTransports(c.transports) })),
        authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      });
      await issue(options.challenge, 'registration', { userId: user.id, userHandle });
      return options;
    },

    /** Checks a new passkey of `user` and keeps it under `name`. */
    async register(user, { name, response }) {
      const label = typeof name === 'string' ? name.trim() : '';
      // No control or invisible formatting characters (line breaks, bidi overrides): the name is
      // shown in lists and security mails, where it must not pass for other text.
      if (label.length === 0 || label.length > NAME_MAX || /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(label)) {
        throw new ValidationError(BAD_NAME);
      }
      const { origins, rpId, maxPasskeys } = settings();
      // Concurrent registrations can each pass this count: a bound, not an exact limit.
      if ((await strapi.db.query(CREDENTIAL).count({ where: { user: { id: user.id } } })) >= maxPasskeys) {
        throw new ApplicationError(TOO_MANY);
      }
      const challenge = await consume(response, 'registration', user.id);
      const verification = await verified(() =>
        verifyRegistrationResponse({
          response,
          expectedChallenge: challenge.challenge,
          expectedOrigin: origins,
          expectedRPID: rpId,
          requireUserVerification: true,
        })
      );
      const { credential, credentialDeviceType, credentialBackedUp } = verification.registrationInfo;
      // The column holds 255 characters; WebAuthn allows ids of up to 1,023 bytes, which no
      // platform or security key issues for a passkey.
      if (credential.id.length > CREDENTIAL_ID_MAX) throw new ValidationError(REFUSED);
      if (credential.publicKey.length > PUBLIC_KEY_MAX) throw new ValidationError(REFUSED);
      const transports = response.response?.transports;
      if (transports !== undefined && !(Array.isArray(transports) && transports.length <= TRANSPORTS_MAX)) {
        throw new ValidationError(REFUSED);
      }
      const credentials = strapi.db.query(CREDENTIAL);
      if (await credentials.findOne({ where: { credentialId: credential.id } })) {
        throw new ApplicationError(TAKEN);
      }
      let created;
      try {
        created = await credentials.create({
          data: {
            credentialId: credential.id,
            publicKey: b64url.encode(credential.publicKey),
            counter: credential.counter,
            transports: knownTransports(transports),
            userHandle: challenge.userHandle,
            deviceType: credentialDeviceType,
            backedUp: credentialBackedUp,
            name: label,
            user: user.id,
          },
        });
      } catch (error) {
        // Two registrations of one credential that both passed the findOne above: the unique index
        // refuses the second, which is the same refusal, not a server error.
        if (await credentials.findOne({ where: { credentialId: credential.id } })) throw new ApplicationError(TAKEN);
        throw error;
      }
      return shown(created);
    },

    /**
     * Options for `navigator.credentials.get()`. For a sign-in any of this site's passkeys may
     * answer; for a confirmation (`user` given) only that person's, each listed.
     */
    async authenticationOptions(user) {
      const { rpId, timeout } = settings();
      if (!user) {
        const options = await generateAuthenticationOptions({ rpID: rpId, timeout, userVerification: 'required' });
        await issue(options.challenge, 'authentication');
        return options;
      }
      const existing = await credentialsOf(user.id);
      if (existing.length === 0) throw new NotFoundError(NOT_FOUND);
      const options = await generateAuthenticationOptions({
        rpID: rpId,
        timeout,
        userVerification: 'required',
        allowCredentials: existing.map((c) => ({ id: c.credentialId, transports: knownTransports(c.transports) })),
      });
      await issue(options.challenge, 'confirmation', { userId: user.id });
      return options;
    },

    /**
     * Checks a sign-in with a passkey and answers with whose it is, refused as /auth/local refuses
     * a person it would not let in. With `person`, a confirmation that it is that person: their
     * own passkey, answering a challenge issued to them for it.
     */
    async authenticate(response, person) {
      if (!person) {
        // As /auth/local: no sign-in while Users & Permissions' email provider is disabled
        // (Settings → Providers → Email), the switch for signing in with an account's own secret.
        const grant = await strapi.store({ type: 'plugin', name: 'users-permissions' }).get({ key: 'grant' });
        if (!grant?.email?.enabled) throw new ApplicationError(PROVIDER_DISABLED);
      }
      const challenge = person
        ? await consume(response, 'confirmation', person.id)
        : await consume(response, 'authentication');
      const id = typeof response?.id === 'string' && response.id.length <= CREDENTIAL_ID_MAX ? response.id : null;
      const stored = id && (await strapi.db.query(CREDENTIAL).findOne({ where: { credentialId: id }, populate: ['user'] }));
      // A sign-in with a passkey Strapi does not have (never registered, removed, or its person
      // deleted) is told so, so the app can have the browser forget it
      // (PublicKeyCredential.signalUnknownCredential). A confirmation lists the person's own.
      if (id && !person && !stored?.user) throw new NotFoundError(NOT_FOUND);
      if (!stored || !stored.user) throw new ValidationError(REFUSED);
      if (person && stored.user.id !== person.id) throw new ValidationError(REFUSED);
      // A sign-in names nobody beforehand, so the user handle must be there (WebAuthn L3 §7.2 step
      // 6; a passkey, being discoverable, always returns it). A confirmation lists the person's
      // passkeys, where the browser may leave it out.
      const handle = response.response?.userHandle;
      if ((handle != null || !person) && handle !== stored.userHandle) throw new ValidationError(REFUSED);
      const { origins, rpId } = settings();
      const verification = await verified(() =>
        verifyAuthenticationResponse({
          response,
          expectedChallenge: challenge.challenge,
          expectedOrigin: origins,
          expectedRPID: rpId,
          credential: {
            id: stored.credentialId,
            publicKey: b64url.decode(stored.publicKey),
            counter: Number(stored.counter),
            transports: stored.transports ?? undefined,
          },
          requireUserVerification: true,
        })
      );

      const { newCounter, credentialDeviceType, credentialBackedUp } = verification.authenticationInfo;
      // Backup eligibility is fixed when a passkey is made: a BE flag that differs from the one at
      // registration is another authenticator, or a tampered one (WebAuthn L3 §7.2).
      if (stored.deviceType && credentialDeviceType !== stored.deviceType) throw new ValidationError(REFUSED);

      const user = await strapi.db.query(USER).findOne({ where: { id: stored.user.id } });
      const advanced = await strapi.store({ type: 'plugin', name: 'users-permissions' }).get({ key: 'advanced' });
      if (advanced?.email_confirmation && user.confirmed !== true) throw new ApplicationError(NOT_CONFIRMED);
      if (user.blocked === true) throw new ApplicationError(BLOCKED);

      // The counter check read the stored counter; two sign-ins with one counter value (a cloned
      // authenticator) may both have passed it. Only one may move it on: the update is made only
      // while the stored counter is still below the new one (or both stay 0, as many passkey
      // providers keep them), and the sign-in that lost is refused.
      const { count } = await strapi.db.query(CREDENTIAL).updateMany({
        where: { id: stored.id, counter: newCounter > 0 ? { $lt: newCounter } : 0 },
        data: { counter: newCounter, backedUp: credentialBackedUp, lastUsedAt: new Date() },
      });
      if (count !== 1) throw new ValidationError(REFUSED);
      return user;
    },

    /** The passkeys of `user`, oldest first: `{id, name, createdAt, lastUsedAt}`. */
    async list(user) {
      return (await credentialsOf(user.id)).map(shown);
    },

    /**
     * What PublicKeyCredential.signalAllAcceptedCredentials needs to have the browser forget
     * `user`'s passkeys Strapi no longer has: `{rpId, userId, credentialIds}`; userId (their user
     * handle) is null when they have no passkey left.
     */
    async signals(user) {
      const existing = await credentialsOf(user.id);
      return {
        rpId: settings().rpId,
        userId: existing[0]?.userHandle ?? null,
        credentialIds: existing.map((c) => c.credentialId),
      };
    },

    /** Removes one of `user`'s passkeys; someone else's is as unknown as one that never was. */
    async remove(user, id) {
      if (typeof id !== 'string' || id.length === 0 || id.length > CREDENTIAL_ID_MAX) throw new NotFoundError(NOT_FOUND);
      const where = { credentialId: id, user: { id: user.id } };
      const found = await strapi.db.query(CREDENTIAL).findOne({ where });
      if (!found) throw new NotFoundError(NOT_FOUND);
      await strapi.db.query(CREDENTIAL).delete({ where: { id: found.id } });
      return shown(found);
    },

    /** Removes every passkey of `user`: how many there were. */
    async removeAll(user) {
      const { count } = await strapi.db.query(CREDENTIAL).deleteMany({ where: { user: { id: user.id } } });
      return count;
    },
  };
};

// A WebAuthn check's result when it verified; any failure (thrown or not) is the one refusal.
async function verified(check) {
  let verification;
  try {
    verification = await check();
  } catch {
    throw new ValidationError(REFUSED);
  }
  if (!verification?.verified) throw new ValidationError(REFUSED);
  return verification;
}
