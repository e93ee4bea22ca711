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
const STALE_CHALLENGE = 'Passkey challenge expired or already used';
const TAKEN = 'Passkey already registered';
const BAD_NAME = 'Invalid passkey name';
const NOT_FOUND = 'Passkey not found';
// /auth/local's own.
const NOT_CONFIRMED = 'Your account email is not confirmed';
const BLOCKED = 'Your account has been blocked by an administrator';

const NAME_MAX = 64;
const CREDENTIAL_ID_MAX = 255;

const b64url = {
  encode: (bytes) => Buffer.from(bytes).toString('base64url'),
  decode: (text) => new Uint8Array(Buffer.from(text, 'base64url')),
};

module.exports = ({ strapi }) => {
  const settings = () => {
    const config = strapi.config.get('plugin::passkeys');
    return { ...config, rpId: config.rpId ?? new URL(config.origins[0]).hostname };
  };

  // A challenge lives in the database (so every Strapi process behind a load balancer knows it)
  // until it is used once or expires. Expired ones are swept whenever a new one is handed out.
  async function issue(challenge, purpose, extra = {}) {
    const now = Date.now();
    const challenges = strapi.db.query(CHALLENGE);
    await challenges.deleteMany({ where: { expiresAt: { $lt: new Date(now) } } });
    await challenges.create({
      data: { challenge, purpose, expiresAt: new Date(now + settings().challengeTtl), ...extra },
    });
  }

  // Uses up the challenge a response signed: true once, for an unexpired challenge handed out for
  // this purpose (and this person); false ever after. The delete is the check, so two requests
  // racing with one response cannot both win.
  async function consume(response, purpose, userId) {
    const challenge = signedChallenge(response);
    if (!challenge) throw new ValidationError(REFUSED);
    const where = { challenge, purpose, expiresAt: { $gt: new Date() } };
    if (userId !== undefined) where.userId = userId;
    const found = await strapi.db.query(CHALLENGE).findOne({ where });
    const { count } = await strapi.db.query(CHALLENGE).deleteMany({ where: { challenge } });
    if (!found || count !== 1) throw new ValidationError(STALE_CHALLENGE);
    return found;
  }

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
      const { rpId, rpName, timeout } = settings();
      const existing = await credentialsOf(user.id);
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
        excludeCredentials: existing.map((c) => ({ id: c.credentialId, transports: c.transports ?? undefined })),
        authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      });
      await issue(options.challenge, 'registration', { userId: user.id, userHandle });
      return options;
    },

    /** Checks a new passkey of `user` and keeps it under `name`. */
    async register(user, { name, response }) {
      const label = typeof name === 'string' ? name.trim() : '';
      if (label.length === 0 || label.length > NAME_MAX) throw new ValidationError(BAD_NAME);
      const challenge = await consume(response, 'registration', user.id);
      const { origins, rpId } = settings();
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
      const credentials = strapi.db.query(CREDENTIAL);
      if (await credentials.findOne({ where: { credentialId: credential.id } })) {
        throw new ApplicationError(TAKEN);
      }
      const created = await credentials.create({
        data: {
          credentialId: credential.id,
          publicKey: b64url.encode(credential.publicKey),
          counter: credential.counter,
          transports: credential.transports ?? response.response?.transports ?? [],
          userHandle: challenge.userHandle,
          deviceType: credentialDeviceType,
          backedUp: credentialBackedUp,
          name: label,
          user: user.id,
        },
      });
      return shown(created);
    },

    /** Options for `navigator.credentials.get()`: any of this site's passkeys may answer. */
    async authenticationOptions() {
      const { rpId, timeout } = settings();
      const options = await generateAuthenticationOptions({ rpID: rpId, timeout, userVerification: 'required' });
      await issue(options.challenge, 'authentication');
      return options;
    },

    /**
     * Checks a sign-in with a passkey and answers with whose it is, refused as /auth/local refuses
     * a person it would not let in.
     */
    async authenticate(response) {
      const challenge = await consume(response, 'authentication');
      const id = typeof response?.id === 'string' && response.id.length <= CREDENTIAL_ID_MAX ? response.id : null;
      const stored = id && (await strapi.db.query(CREDENTIAL).findOne({ where: { credentialId: id }, populate: ['user'] }));
      if (!stored || !stored.user) throw new ValidationError(REFUSED);
      const handle = response.response?.userHandle;
      if (handle != null && handle !== stored.userHandle) throw new ValidationError(REFUSED);
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

      const user = await strapi.db.query(USER).findOne({ where: { id: stored.user.id } });
      const advanced = await strapi.store({ type: 'plugin', name: 'users-permissions' }).get({ key: 'advanced' });
      if (advanced?.email_confirmation && user.confirmed !== true) throw new ApplicationError(NOT_CONFIRMED);
      if (user.blocked === true) throw new ApplicationError(BLOCKED);

      await strapi.db.query(CREDENTIAL).update({
        where: { id: stored.id },
        data: {
          counter: verification.authenticationInfo.newCounter,
          backedUp: verification.authenticationInfo.credentialBackedUp,
          lastUsedAt: new Date(),
        },
      });
      return user;
    },

    /** The passkeys of `user`, oldest first: `{id, name, createdAt, lastUsedAt}`. */
    async list(user) {
      return (await credentialsOf(user.id)).map(shown);
    },

    /** Removes one of `user`'s passkeys; someone else's is as unknown as one that never was. */
    async remove(user, id) {
      const where = { credentialId: String(id), user: { id: user.id } };
      const found = await strapi.db.query(CREDENTIAL).findOne({ where });
      if (!found) throw new NotFoundError(NOT_FOUND);
      await strapi.db.query(CREDENTIAL).delete({ where: { id: found.id } });
      return shown(found);
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

// The challenge inside a response's clientDataJSON, or null when there is none to read.
// A clientDataJSON is a few hundred bytes; anything but a short string is refused before it is
// decoded (Buffer.from of an object with a huge `length` would allocate that much).
const CLIENT_DATA_MAX = 8192;

function signedChallenge(response) {
  const encoded = response?.response?.clientDataJSON;
  if (typeof encoded !== 'string' || encoded.length > CLIENT_DATA_MAX) return null;
  try {
    const clientData = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    return typeof clientData.challenge === 'string' && clientData.challenge.length > 0 ? clientData.challenge : null;
  } catch {
    return null;
  }
}
