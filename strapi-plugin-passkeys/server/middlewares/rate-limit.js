'use strict';

// Users & Permissions' own limiter, with its configuration (config/plugins.js →
// users-permissions.config.ratelimit), so passkey routes are limited exactly as /auth/local is.
// That limiter keys a route by `body.email` unless the route is one it knows; these routes read
// no email, so a caller could otherwise get a fresh bucket per request by inventing one.
module.exports = (config, { strapi }) => {
  const limiter = strapi.plugin('users-permissions').middleware('rateLimit')(config, { strapi });
  return async (ctx, next) => {
    const body = ctx.request.body;
    if (body && typeof body === 'object' && 'email' in body) delete body.email;
    return limiter(ctx, next);
  };
};
