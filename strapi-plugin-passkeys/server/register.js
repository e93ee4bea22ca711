'use strict';

// Users & Permissions' routes whose answers also carry a confirmation
// (middlewares/confirmation-in-answer.js): a password reset from the mail, a sign-in through a provider.
const WATCHED = {
  'POST /auth/reset-password': 'reset',
  'GET /auth/:provider/callback': 'provider',
};

module.exports = ({ strapi }) => {
  // With @strapi/plugin-graphql installed, its shadow CRUD would make queries and mutations of
  // every content type, the plugin's included (as @strapi/content-releases, take them out): its
  // passkeys, challenges and confirmations are served by its own routes only.
  if (strapi.plugin('graphql')) {
    const extension = strapi.plugin('graphql').service('extension');
    for (const name of Object.keys(strapi.plugin('passkeys').contentTypes)) {
      extension.shadowCRUD(`plugin::passkeys.${name}`).disable();
    }
  }

  const routes = strapi.plugin('users-permissions').routes['content-api'].routes;
  const found = new Set();
  for (const route of routes) {
    const event = WATCHED[`${route.method} ${route.path}`];
    if (!event) continue;
    found.add(event);
    route.config = {
      ...route.config,
      middlewares: [...(route.config?.middlewares ?? []), { name: 'plugin::passkeys.confirmationInAnswer', config: { event } }],
    };
  }
  // A later Users & Permissions that renamed these routes would silently lose the confirmations
  // these answers carry: refuse to start instead.
  const missing = Object.values(WATCHED).filter((event) => !found.has(event));
  if (missing.length > 0) {
    throw new Error(`passkeys: Users & Permissions routes not found for ${missing.join(', ')} sign-ins; this version of the plugin does not support it`);
  }
};
