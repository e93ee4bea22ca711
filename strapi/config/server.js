// Listens on loopback only: this Strapi is for development and tests. `url` is where browsers
// reach it: the OAuth provider sends people back to `${url}/api/connect/<provider>/callback`, and
// Strapi's session cookie only comes along if that host is the one the login started on.
module.exports = ({ env }) => ({
  host: env('HOST', '127.0.0.1'),
  port: env.int('PORT', 1337),
  url: env('STRAPI_PUBLIC_URL', `http://localhost:${env.int('PORT', 1337)}`),
  app: { keys: env.array('APP_KEYS') },
});
