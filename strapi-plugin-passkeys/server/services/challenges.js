'use strict';

// WebAuthn challenges: handed out with the options of a ceremony, answered once. They live in the
// database (so every Strapi process behind a load balancer knows them) until used or expired.

const { errors } = require('@strapi/utils');

const { RateLimitError, ValidationError } = errors;

const CHALLENGE = 'plugin::passkeys.challenge';

// The plugin's messages, word for word (clients recognise them).
const REFUSED = 'Invalid passkey';
const STALE_CHALLENGE = 'Passkey challenge expired or already used';

// A clientDataJSON is a few hundred bytes; anything but a short string is refused before it is
// decoded (Buffer.from of an object with a huge `length` would allocate that much).
const CLIENT_DATA_MAX = 8192;
// Outstanding challenges of one signed-in person (registration and confirmation together).
const PERSON_MAX = 20;

module.exports = ({ strapi }) => {
  // When this process last swept expired challenges (ms). Sweeping on every options request made
  // each public request a delete over the whole table; once per challengeTtl keeps the table to at
  // most about two lifetimes' worth, and the delete uses the expiresAt index.
  let sweptAt = 0;
  const sweep = async (now) => {
    sweptAt = now;
    await strapi.db.query(CHALLENGE).deleteMany({ where: { expiresAt: { $lt: new Date(now) } } });
  };

  return {
    /**
     * Keeps `challenge`, handed out for `purpose` ('registration' | 'authentication' |
     * 'confirmation'), with `extra` fields (userId, userHandle), for the configured time. Refused
     * with a 429 while `maxChallenges` sign-in challenges are outstanding (sign-in options are
     * public: without a bound anyone could fill the table), or, for a signed-in person's own
     * (registration, confirmation), while they have PERSON_MAX outstanding: anonymous requests
     * filling the public bound must not stop anyone confirming it is them or adding a passkey.
     */
    async issue(challenge, purpose, extra = {}) {
      const now = Date.now();
      const { challengeTtl, maxChallenges } = strapi.config.get('plugin::passkeys');
      const challenges = strapi.db.query(CHALLENGE);
      if (now - sweptAt >= challengeTtl) await sweep(now);
      const [where, max] =
        extra.userId === undefined ? [{ purpose }, maxChallenges] : [{ userId: extra.userId }, PERSON_MAX];
      if ((await challenges.count({ where })) >= max) {
        // Full: perhaps only of expired ones not swept yet.
        await sweep(now);
        if ((await challenges.count({ where })) >= max) throw new RateLimitError();
      }
      await challenges.create({
        data: { challenge, purpose, expiresAt: new Date(now + challengeTtl), ...extra },
      });
    },

    /**
     * Uses up the challenge a response signed: the stored challenge once, for an unexpired challenge
     * handed out for this purpose (and this person); a refusal ever after. The delete is the check,
     * so two requests racing with one response cannot both win.
     */
    async consume(response, purpose, userId) {
      const challenge = signedChallenge(response);
      if (!challenge) throw new ValidationError(REFUSED);
      const where = { challenge, purpose, expiresAt: { $gt: new Date() } };
      if (userId !== undefined) where.userId = userId;
      const found = await strapi.db.query(CHALLENGE).findOne({ where });
      const { count } = await strapi.db.query(CHALLENGE).deleteMany({ where: { challenge } });
      if (!found || count !== 1) throw new ValidationError(STALE_CHALLENGE);
      return found;
    },
  };
};

// The challenge inside a response's clientDataJSON, or null when there is none to read.
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
