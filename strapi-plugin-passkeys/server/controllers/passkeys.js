'use strict';

const { buildSessionMetadata, errors } = require('@strapi/utils');

const { ApplicationError, ForbiddenError, ValidationError } = errors;

const service = () => strapi.plugin('passkeys').service('passkeys');
const body = (ctx) => (ctx.request.body && typeof ctx.request.body === 'object' ? ctx.request.body : {});
// The signed-in routes' person: an API token passes Strapi's auth without being anyone.
const person = (ctx) => {
  if (!ctx.state.user) throw new ForbiddenError();
  return ctx.state.user;
};
const credentialOf = (ctx) => {
  const { credential } = body(ctx);
  if (!credential || typeof credential !== 'object') throw new ValidationError('Invalid passkey');
  return credential;
};

module.exports = ({ strapi }) => ({
  async registrationOptions(ctx) {
    ctx.send(await service().registrationOptions(person(ctx)));
  },

  async registrationVerify(ctx) {
    const { name } = body(ctx);
    ctx.send(await service().register(person(ctx), { name, response: credentialOf(ctx) }));
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

  async delete(ctx) {
    ctx.send(await service().remove(person(ctx), ctx.params.id));
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
