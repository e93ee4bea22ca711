'use strict';

// Every route of the plugin goes through Users & Permissions' role permissions, like every
// content-API route: the signed-in ones through the Authenticated role's, the two sign-in routes
// through the Public role's (as /auth/local does), so an administrator can switch passkey sign-in
// off by unticking them. Each action is granted once, on the first start of a plugin version that
// has it; an administrator who takes one away later (Settings → Roles) keeps it away.
const GRANTS = {
  authenticated: [
    ...['registrationOptions', 'registrationVerify', 'find', 'remove', 'removeAll', 'signals'].map(
      (action) => `plugin::passkeys.passkeys.${action}`
    ),
    ...['methods', 'withPassword', 'passkeyOptions', 'withPasskey'].map(
      (action) => `plugin::passkeys.confirmations.${action}`
    ),
  ],
  public: ['authenticationOptions', 'authenticationVerify'].map((action) => `plugin::passkeys.passkeys.${action}`),
};
// Version 0.1.0 granted these and then stored `true` instead of the list of what it granted.
const GRANTED_BY_0_1 = ['registrationOptions', 'registrationVerify', 'find', 'delete'].map(
  (action) => `plugin::passkeys.passkeys.${action}`
);

const ROLE = 'plugin::users-permissions.role';
const PERMISSION = 'plugin::users-permissions.permission';

module.exports = async ({ strapi }) => {
  if (await strapi.db.query(ROLE).findOne({ where: { type: 'authenticated' } })) return grant(strapi);
  // No roles yet: a fresh database, and Users & Permissions has not bootstrapped yet. Strapi
  // bootstraps the plugins declared in config/plugins.js before the installed ones it finds by
  // itself, so with `passkeys` declared alone (as in the README) this runs first. Granting when
  // the roles appear (a lifecycle on role creation) would be too early as well: Users & Permissions
  // writes its own default permissions (sign-up, /users/me, ...) only when it finds none at all.
  // So grant right after its bootstrap: Strapi calls each plugin's bootstrap through this object.
  const usersPermissions = strapi.plugin('users-permissions');
  if (!usersPermissions) return;
  const bootstrap = usersPermissions.bootstrap;
  usersPermissions.bootstrap = async (...args) => {
    await bootstrap.apply(usersPermissions, args);
    await grant(strapi);
  };
};

// Grants each action of GRANTS not granted before, and records it as granted (the plugin's store
// entry `permissions-granted`: the actions ever granted).
async function grant(strapi) {
  const store = strapi.store({ type: 'plugin', name: 'passkeys' });
  const stored = await store.get({ key: 'permissions-granted' });
  const granted = new Set(stored === true ? GRANTED_BY_0_1 : Array.isArray(stored) ? stored : []);
  const permissions = strapi.db.query(PERMISSION);
  for (const [type, actions] of Object.entries(GRANTS)) {
    const role = await strapi.db.query(ROLE).findOne({ where: { type } });
    if (!role) continue;
    for (const action of actions) {
      // Only actions this Strapi has: Users & Permissions deletes a permission whose action it does
      // not know on its next start, and one recorded as granted would never come back.
      if (granted.has(action) || !exists(strapi, action)) continue;
      if (!(await permissions.findOne({ where: { action, role: role.id } }))) {
        await permissions.create({ data: { action, role: role.id } });
      }
      granted.add(action);
    }
  }
  await store.set({ key: 'permissions-granted', value: [...granted] });
}

// Whether `plugin::passkeys.<controller>.<method>` is one of the plugin's controller methods.
function exists(strapi, action) {
  const [controller, method] = action.slice('plugin::passkeys.'.length).split('.');
  return typeof strapi.plugin('passkeys').controller(controller)?.[method] === 'function';
}
