'use strict';

// The plugin's server half: two content types (credentials, challenges), six content-API routes
// under /api/passkeys, and the permissions a signed-in person needs to manage their own passkeys.
module.exports = {
  register() {},
  bootstrap: require('./bootstrap'),
  config: require('./config'),
  contentTypes: {
    credential: { schema: require('./content-types/credential/schema.json') },
    challenge: { schema: require('./content-types/challenge/schema.json') },
  },
  controllers: { passkeys: require('./controllers/passkeys') },
  services: { passkeys: require('./services/passkeys') },
  middlewares: { rateLimit: require('./middlewares/rate-limit') },
  routes: require('./routes'),
};
