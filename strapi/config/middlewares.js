// Strapi's default stack, with CORS limited to the app's development origins (the default reflects
// any origin). X-Strapi-Refresh-Cookie is allowed for the app's cookie refresh mode; Retry-After
// is exposed, so the app can honour it when Strapi (or a proxy in front) sends a 429 or 503.
module.exports = ({ env }) => [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  {
    name: 'strapi::cors',
    config: {
      origin: env.array('STRAPI_CORS_ORIGINS', ['http://localhost:3000', 'http://127.0.0.1:3000']),
      headers: ['Content-Type', 'Authorization', 'Origin', 'Accept', 'X-Strapi-Refresh-Cookie'],
      credentials: true,
      expose: ['Retry-After'],
    },
  },
  'strapi::poweredBy',
  'strapi::query',
  'strapi::body',
  // Strapi's session cookie carries a provider login from /connect/:provider to the app's call to
  // /auth/:provider/callback. Secure (https only) in production by default; this Strapi speaks
  // plain http on loopback.
  {
    name: 'strapi::session',
    config: { secure: env.bool('STRAPI_SESSION_COOKIE_SECURE', false) },
  },
  'strapi::favicon',
  'strapi::public',
];
