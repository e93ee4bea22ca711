// Users & Permissions and email, shaped by environment variables (scripts/strapi.sh documents them).

// The app's origin, for passkeys: by its name on loopback (an IP address cannot be a relying party
// id, so passkeys work at http://localhost:3000, not at http://127.0.0.1:3000).
const passkeyOrigin = (appUrl) => {
  const url = new URL(appUrl);
  if (url.hostname === '127.0.0.1') url.hostname = 'localhost';
  return url.origin;
};

// STRAPI_PASSKEYS_FIRST=true declares passkeys before Users & Permissions, as a project whose
// config/plugins.js has the passkeys entry alone (the plugin README's example) does: Strapi
// bootstraps declared plugins in order, before the installed ones it finds by itself.
const passkeysFirst = (first, plugins) => {
  if (!first) return plugins;
  const { passkeys, ...others } = plugins;
  return { passkeys, ...others };
};

module.exports = ({ env }) => passkeysFirst(env.bool('STRAPI_PASSKEYS_FIRST', false), {
  'users-permissions': {
    config: {
      // 'legacy-support' (one 30-day JWT) or 'refresh' (access + refresh tokens).
      jwtManagement: env('STRAPI_JWT_MODE', 'legacy-support'),
      sessions: {
        accessTokenLifespan: env.int('STRAPI_ACCESS_TOKEN_LIFESPAN', 600),
        httpOnly: env.bool('STRAPI_REFRESH_COOKIE', false),
        // This Strapi speaks plain http on loopback: a Secure cookie would never be set. A real
        // deployment behind https keeps Strapi's default (Secure in production).
        cookie: { secure: env.bool('STRAPI_REFRESH_COOKIE_SECURE', false) },
      },
      ratelimit: {
        enabled: env.bool('STRAPI_RATE_LIMIT', true),
        interval: 60000,
        max: 10,
      },
    },
  },
  // Passkeys (strapi-plugin-passkeys, from this repository): people use them on the app's origins
  // (STRAPI_PASSKEY_ORIGINS, by default where the emails' links lead), bound to the relying party
  // id STRAPI_PASSKEY_RP_ID (by default the first origin's host name: localhost); a challenge
  // lives STRAPI_PASSKEY_CHALLENGE_TTL ms.
  passkeys: {
    config: {
      origins: env.array('STRAPI_PASSKEY_ORIGINS', [passkeyOrigin(env('STRAPI_APP_URL', 'http://localhost:3000'))]),
      rpId: env('STRAPI_PASSKEY_RP_ID'),
      rpName: 'Strapi Login',
      challengeTtl: env.int('STRAPI_PASSKEY_CHALLENGE_TTL', 5 * 60 * 1000),
      // At most STRAPI_PASSKEY_MAX_PASSKEYS passkeys a person, STRAPI_PASSKEY_MAX_CHALLENGES
      // challenges outstanding.
      maxPasskeys: env.int('STRAPI_PASSKEY_MAX_PASSKEYS', 20),
      maxChallenges: env.int('STRAPI_PASSKEY_MAX_CHALLENGES', 10000),
      // "Confirm it's you" lasts STRAPI_PASSKEY_CONFIRMATION_TTL ms; security mails link to the
      // app's account page.
      confirmationTtl: env.int('STRAPI_PASSKEY_CONFIRMATION_TTL', 10 * 60 * 1000),
      mails: {
        enabled: env.bool('STRAPI_PASSKEY_MAILS', true),
        accountUrl: `${env('STRAPI_APP_URL', 'http://localhost:3000').replace(/\/+$/, '')}/dashboard`,
      },
    },
  },
  // Every mail (reset links, confirmation links) goes to the local catcher that scripts/strapi.sh
  // starts beside this Strapi, never out. The sendmail provider ships with Strapi; devHost/devPort
  // send everything to one SMTP server instead of each recipient's.
  email: {
    config: {
      provider: 'sendmail',
      providerOptions: { devHost: '127.0.0.1', devPort: env.int('STRAPI_SMTP_PORT', 1025) },
      settings: {
        defaultFrom: 'Strapi Login <no-reply@localhost>',
        defaultReplyTo: 'no-reply@localhost',
      },
    },
  },
});
