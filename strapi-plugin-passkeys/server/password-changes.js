'use strict';

// Whenever a person's password changes, however it changes (their own change, a reset from the
// mail, an administrator in the admin panel, Users & Permissions' GraphQL mutations), the plugin
// ends their confirmations and mails them. A database lifecycle sees every one of those; a route
// middleware would see only the REST routes.

const USER = 'plugin::users-permissions.user';

module.exports = ({ strapi }) => {
  strapi.db.lifecycles.subscribe({
    models: [USER],
    async afterUpdate(event) {
      if (event.params?.data?.password === undefined) return;
      const userId = event.result?.id ?? event.params.where?.id;
      if (userId === undefined) return;
      const ctx = strapi.requestContext.get();
      const reset = typeof ctx?.path === 'string' && ctx.path.endsWith('/auth/reset-password');
      try {
        await strapi.plugin('passkeys').service('confirmations').revokeAll(userId);
      } catch (error) {
        strapi.log.error(`passkeys: confirmations of user ${userId} not ended after a password change: ${error.message}`);
      }
      strapi.plugin('passkeys').service('mails').send({ id: userId }, reset ? 'passwordReset' : 'passwordChanged', ctx);
    },
  });
};
