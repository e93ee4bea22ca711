'use strict';

// What the plugin's controllers read from a request, in one place.

const { errors } = require('@strapi/utils');

const { ForbiddenError, ValidationError } = errors;

/** The JSON body as an object ({} when there is none, or it is not an object). */
const body = (ctx) => (ctx.request.body && typeof ctx.request.body === 'object' ? ctx.request.body : {});

/** The signed-in person. An API token passes Strapi's auth without being anyone: refused. */
const person = (ctx) => {
  if (!ctx.state.user) throw new ForbiddenError();
  return ctx.state.user;
};

/** The browser's WebAuthn answer in the body's `credential`. */
const credentialOf = (ctx) => {
  const { credential } = body(ctx);
  if (!credential || typeof credential !== 'object') throw new ValidationError('Invalid passkey');
  return credential;
};

module.exports = { body, person, credentialOf };
