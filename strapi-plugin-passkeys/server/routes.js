'use strict';

// Content-API routes, under Strapi's REST prefix: /api/passkeys/…
// Sign-in is public and rate limited like /auth/local, and like it governed by the Public role's
// permissions (bootstrap.js grants them once), so unticking them switches passkey sign-in off; the
// rest needs a signed-in person. Adding or removing a passkey also needs a confirmation
// (controllers/confirmations.js): a token alone, copied from a browser, is not enough.
// A new object per route: Strapi writes each route's permission scope into its `config`, and a
// shared one would end up asking every route for the last route's permission.
const limited = () => ({ middlewares: ['plugin::passkeys.rateLimit'] });

module.exports = {
  'content-api': {
    type: 'content-api',
    routes: [
      {
        method: 'POST',
        path: '/authentication/options',
        handler: 'passkeys.authenticationOptions',
        config: limited(),
      },
      {
        method: 'POST',
        path: '/authentication/verify',
        handler: 'passkeys.authenticationVerify',
        config: limited(),
      },
      { method: 'GET', path: '/confirmation', handler: 'confirmations.methods' },
      {
        method: 'POST',
        path: '/confirmation/password',
        handler: 'confirmations.withPassword',
        config: limited(),
      },
      {
        method: 'POST',
        path: '/confirmation/passkey/options',
        handler: 'confirmations.passkeyOptions',
        config: limited(),
      },
      {
        method: 'POST',
        path: '/confirmation/passkey',
        handler: 'confirmations.withPasskey',
        config: limited(),
      },
      {
        method: 'POST',
        path: '/registration/options',
        handler: 'passkeys.registrationOptions',
        config: limited(),
      },
      {
        method: 'POST',
        path: '/registration/verify',
        handler: 'passkeys.registrationVerify',
        config: limited(),
      },
      { method: 'GET', path: '/', handler: 'passkeys.find' },
      { method: 'GET', path: '/signals', handler: 'passkeys.signals' },
      { method: 'POST', path: '/remove', handler: 'passkeys.remove', config: limited() },
      { method: 'POST', path: '/remove-all', handler: 'passkeys.removeAll', config: limited() },
    ],
  },
};
