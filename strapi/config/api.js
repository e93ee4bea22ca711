module.exports = ({ env }) => ({
  rest: { prefix: env('STRAPI_API_PREFIX', '/api') },
});
