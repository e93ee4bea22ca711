'use strict';

// Extends Users & Permissions' user with a field of this project's own, as a Strapi project would:
// `favouriteColour`, a string that the login answer's `user` and `GET /users/me` carry (it is not
// private), read by examples/custom-user through a user type of its own. Adding the one attribute
// here, rather than a copy of the plugin's whole schema.json under content-types/user/, keeps
// every other attribute as the plugin version defines it.
module.exports = (plugin) => {
  plugin.contentTypes.user.schema.attributes.favouriteColour = { type: 'string' };
  return plugin;
};
