'use strict';

const { buildSessionMetadata, errors } = require('@strapi/utils');

const { body, credentialOf, person } = require('../request');

const { ApplicationError } = errors;

const service = () => strapi.plugin('passkeys').service('passkeys');
const mails = () => strapi.plugin('passkeys').service('mails');
// The proof that the person confirmed it is them a moment ago, for the routes that add or remove a
// way into the account: refused before anything else is looked at.
const confirmed = async (ctx) => {
  const user = person(ctx);
  await strapi.plugin('passkeys').service('confirmations').check(user, body(ctx).confirmation);
  return user;
};

module.exports = ({ strapi }) => ({
  async registrationOptions(ctx) {
    ctx.send(await service().registrationOptions(await confirmed(ctx)));
  },

  async registrationVerify(ctx) {
    const user = await confirmed(ctx);
    const { name } = body(ctx);
    const added = await service().register(user, { name, response: credentialOf(ctx) });
    mails().send(user, 'passkeyAdded', ctx, { passkey: added.name });
    ctx.send(added);
  },

  async authenticationOptions(ctx) {
    ctx.send(await service().authenticationOptions());
  },

  // A sign-in: the same answer /auth/local gives for the same person, in the configured JWT mode.
  async authenticationVerify(ctx) {
    const user = await service().authenticate(credentialOf(ctx));
    return logIn(strapi, ctx, user);
  },

  async find(ctx) {
    ctx.send(await service().list(person(ctx)));
  },

  // What the browser needs to forget passkeys Strapi no longer has
  // (PublicKeyCredential.signalAllAcceptedCredentials).
  async signals(ctx) {
    ctx.send(await service().signals(person(ctx)));
  },

  async remove(ctx) {
    const user = await confirmed(ctx);
    const removed = await service().remove(user, body(ctx).id);
    mails().send(user, 'passkeyRemoved', ctx, { passkey: removed.name });
    ctx.send(removed);
  },

  async removeAll(ctx) {
    const user = await confirmed(ctx);
    const removed = await service().removeAll(user);
    if (removed > 0) mails().send(user, 'passkeysRemoved', ctx, { count: String(removed) });
    ctx.send({ removed });
  },
});

// What @strapi/plugin-users-permissions' auth controller answers after a good password (5.54.0,
// server/src/controllers/auth.js: `callback` and `sendRefreshAuthResponse`), through the same
// services: `{jwt, user}` in 'legacy-support' mode; in 'refresh' mode a session of Strapi's
// session manager, its refresh token in the body or, when configured or asked for with
// `X-Strapi-Refresh-Cookie: httpOnly`, in Strapi's httpOnly cookie.
async function logIn(strapi, ctx, user) {
  const up = strapi.plugin('users-permissions');
  const sanitized = await strapi.contentAPI.sanitize.output(
    user,
    strapi.getModel('plugin::users-permissions.user'),
    { auth: ctx.state.auth }
  );
  const mode = strapi.config.get('plugin::users-permissions.jwtManagement', 'legacy-support');
  if (mode !== 'refresh') {
    return ctx.send({ jwt: up.service('jwt').issue({ id: user.id }), user: sanitized });
  }

  const { deviceId } = body(ctx);
  const sessions = strapi.sessionManager('users-permissions');
  const refresh = await sessions.generateRefreshToken(
    String(user.id),
    typeof deviceId === 'string' && deviceId.length > 0 ? deviceId : undefined,
    {
      type: 'refresh',
      // As /auth/local since 5.54: the device the sessions list names.
      ...(typeof buildSessionMetadata === 'function'
        ? { metadata: buildSessionMetadata({ userAgent: ctx.request.headers['user-agent'] }) }
        : {}),
    }
  );
  const access = await sessions.generateAccessToken(refresh.token);
  if ('error' in access) throw new ApplicationError('Invalid credentials');

  const upSessions = strapi.config.get('plugin::users-permissions.sessions');
  if (upSessions?.httpOnly || ctx.request.header['x-strapi-refresh-cookie'] === 'httpOnly') {
    const cookie = upSessions?.cookie ?? {};
    ctx.cookies.set(cookie.name || 'strapi_up_refresh', refresh.token, {
      httpOnly: true,
      secure: typeof cookie.secure === 'boolean' ? cookie.secure : process.env.NODE_ENV === 'production',
      sameSite: cookie.sameSite ?? 'lax',
      path: cookie.path ?? '/',
      domain: cookie.domain,
      maxAge: cookie.maxAge,
      overwrite: true,
    });
    return ctx.send({ jwt: access.token, user: sanitized });
  }
  return ctx.send({ jwt: access.token, refreshToken: refresh.token, user: sanitized });
}
