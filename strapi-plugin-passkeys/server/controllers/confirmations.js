'use strict';

// "Confirm it's you" (services/confirmations.js): how a signed-in person can confirm, and the
// two ways to do it here, each answering `{confirmation, expiresAt}` (the third, a sign-in through a
// provider or a reset, carries one in its answer: middlewares/confirmation-in-answer.js).

const { body, credentialOf, person } = require('../request');

const service = () => strapi.plugin('passkeys').service('confirmations');

module.exports = () => ({
  async methods(ctx) {
    ctx.send(await service().methods(person(ctx)));
  },

  async withPassword(ctx) {
    ctx.send(await service().withPassword(person(ctx), body(ctx).password));
  },

  // Options for the confirmation's passkey prompt: the person's own passkeys only.
  async passkeyOptions(ctx) {
    ctx.send(await strapi.plugin('passkeys').service('passkeys').authenticationOptions(person(ctx)));
  },

  async withPasskey(ctx) {
    ctx.send(await service().withPasskey(person(ctx), credentialOf(ctx)));
  },
});
