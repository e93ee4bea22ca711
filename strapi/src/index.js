'use strict';

// Seeds the demo user (idempotent): confirmed, not blocked, in the Authenticated role, created
// through the plugin's user service so its password is hashed.
module.exports = {
  register() {},

  async bootstrap({ strapi }) {
    const username = process.env.DEMO_USERNAME || 'demo';
    const email = process.env.DEMO_EMAIL || 'demo@example.com';
    const password = process.env.DEMO_PASSWORD || 'Demo-Passw0rd!';

    const users = strapi.db.query('plugin::users-permissions.user');
    if (await users.findOne({ where: { email } })) return;

    const role = await strapi.db
      .query('plugin::users-permissions.role')
      .findOne({ where: { type: 'authenticated' } });
    await strapi.plugin('users-permissions').service('user').add({
      username,
      email,
      password,
      provider: 'local',
      confirmed: true,
      blocked: false,
      role: role.id,
    });
    strapi.log.info(`Seeded demo user ${email}`);
  },
};
