'use strict';

// Around Users & Permissions' routes that sign a person in by proving it is them beyond a
// password (server/register.js adds it): a reset from the mail, a sign-in through a provider. Their
// answer also carries a confirmation (services/confirmations.js), so the app can go on to
// "confirm it's you" actions without asking again, for an account without a password too. It is
// in that answer only: a token copied later cannot be exchanged for one.
module.exports = ({ event }, { strapi }) => {
  const confirmations = () => strapi.plugin('passkeys').service('confirmations');
  return async (ctx, next) => {
    await next();
    const body = ctx.body;
    if (ctx.status !== 200 || !body || typeof body !== 'object' || typeof body.jwt !== 'string') return;
    const userId = body.user?.id;
    if (userId === undefined) return;
    // What Users & Permissions did stands whatever happens here: a failure is logged, not answered.
    try {
      body.confirmation = await confirmations().issue({ id: userId }, event);
    } catch (error) {
      strapi.log.error(`passkeys: no confirmation after ${event}: ${error.message}`);
    }
  };
};
