'use strict';

// The plugin's server half: content types (credentials, challenges, confirmations), content-API
// routes under /api/passkeys, the permissions a signed-in person needs to manage their own
// passkeys, and what it adds to Users & Permissions' own routes (security mails, confirmations
// ended by a password change).
module.exports = {
  register: require('./register'),
  async bootstrap(context) {
    await require('./bootstrap')(context);
    require('./password-changes')(context);
  },
  config: require('./config'),
  contentTypes: {
    credential: { schema: require('./content-types/credential/schema.json') },
    challenge: { schema: require('./content-types/challenge/schema.json') },
    confirmation: { schema: require('./content-types/confirmation/schema.json') },
  },
  controllers: {
    passkeys: require('./controllers/passkeys'),
    confirmations: require('./controllers/confirmations'),
  },
  services: {
    passkeys: require('./services/passkeys'),
    challenges: require('./services/challenges'),
    confirmations: require('./services/confirmations'),
    mails: require('./services/mails'),
  },
  middlewares: {
    rateLimit: require('./middlewares/rate-limit'),
    confirmationInAnswer: require('./middlewares/confirmation-in-answer'),
  },
  routes: require('./routes'),
};
