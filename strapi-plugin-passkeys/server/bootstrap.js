'use strict';

// The routes a signed-in person uses (register, list, remove their own passkeys) go through
// Users & Permissions' role permissions, like every content-API route. They are granted to the
// Authenticated role once, on the first start with the plugin; an administrator who takes them
// away later (Settings → Roles) keeps them away.
const ACTIONS = ['registrationOptions', 'registrationVerify', 'find', 'delete'].map(
  (action) => `plugin::passkeys.passkeys.${action}`
);

module.exports = async ({ strapi }) => {
  const store = strapi.store({ type: 'plugin', name: 'passkeys' });
  if (await store.get({ key: 'permissions-granted' })) return;
  const role = await strapi.db
    .query('plugin::users-permissions.role')
    .findOne({ where: { type: 'authenticated' } });
  if (!role) return;
  const permissions = strapi.db.query('plugin::users-permissions.permission');
  for (const action of ACTIONS) {
    if (!(await permissions.findOne({ where: { action, role: role.id } }))) {
      await permissions.create({ data: { action, role: role.id } });
    }
  }
  await store.set({ key: 'permissions-granted', value: true });
};
