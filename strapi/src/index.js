'use strict';

// On every start: the Users & Permissions settings the app's account pages need, and the demo user.
module.exports = {
  register() {},

  async bootstrap({ strapi }) {
    await configureAccountFlows(strapi);
    await seedDemoUser(strapi);
  },
};

// The "Advanced settings" of Users & Permissions (admin panel → Settings), from the environment:
// where the links in Strapi's emails lead (the app's pages), and whether sign-up and email
// confirmation are on. The plugin writes its defaults before this runs; ours are merged over them.
async function configureAccountFlows(strapi) {
  const on = (name, fallback) => (process.env[name] ?? fallback).toLowerCase() === 'true';
  const app = (process.env.STRAPI_APP_URL || 'http://localhost:3000').replace(/\/+$/, '');
  const store = strapi.store({ type: 'plugin', name: 'users-permissions' });
  const advanced = (await store.get({ key: 'advanced' })) || {};
  await store.set({
    key: 'advanced',
    value: {
      ...advanced,
      allow_register: on('STRAPI_ALLOW_REGISTER', 'true'),
      email_confirmation: on('STRAPI_EMAIL_CONFIRMATION', 'false'),
      email_reset_password: `${app}/auth/reset-password`,
      email_confirmation_redirection: `${app}/auth/email-confirmed`,
    },
  });
}

// The demo user (idempotent): confirmed, not blocked, in the Authenticated role, created through
// the plugin's user service so its password is hashed.
async function seedDemoUser(strapi) {
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
}
