'use strict';

// Content-API routes, under Strapi's REST prefix: /api/passkeys/…
// Sign-in is public and rate limited like /auth/local; the rest needs a signed-in person.
const limited = { middlewares: ['plugin::passkeys.rateLimit'] };

module.exports = {
  'content-api': {
    type: 'content-api',
    routes: [
      {
        method: 'POST',
        path: '/authentication/options',
        handler: 'passkeys.authenticationOptions',
        config: { auth: false, ...limited },
      },
      {
        method: 'POST',
        path: '/authentication/verify',
        handler: 'passkeys.authenticationVerify',
        config: { auth: false, ...limited },
      },
      {
        method: 'POST',
        path: '/registration/options',
        handler: 'passkeys.registrationOptions',
        config: limited,
      },
      {
        method: 'POST',
        path: '/registration/verify',
        handler: 'passkeys.registrationVerify',
        config: limited,
      },
      { method: 'GET', path: '/', handler: 'passkeys.find' },
      { method: 'DELETE', path: '/:id', handler: 'passkeys.delete' },
    ],
  },
};
