'use strict';

// On every start: the Users & Permissions settings the app's account pages need (with email
// templates whose links can be clicked), the development OAuth provider, and the demo user.
module.exports = {
  register({ strapi }) {
    registerDevProvider(strapi);
  },

  async bootstrap({ strapi }) {
    await configureAccountFlows(strapi);
    await configureEmailTemplates(strapi);
    await enableDevProvider(strapi);
    await seedDemoUser(strapi);
  },
};

// "mock": the OAuth2 / OpenID Connect provider that scripts/strapi.sh starts beside this Strapi
// (strapi/services/oauth-provider.mjs). Registered like any custom provider: Strapi runs the OAuth2
// code flow with it, then asks authCallback who logged in.
const PROVIDER = 'mock';
const appUrl = () => (process.env.STRAPI_APP_URL || 'http://localhost:3000').replace(/\/+$/, '');
const providerUrl = () => `http://127.0.0.1:${process.env.STRAPI_OAUTH_PORT || 23337}`;

function registerDevProvider(strapi) {
  strapi.plugin('users-permissions').service('providers-registry').add(PROVIDER, {
    enabled: true,
    icon: 'key',
    grantConfig: providerGrant(),
    async authCallback({ accessToken }) {
      const answer = await fetch(`${providerUrl()}/userinfo`, {
        headers: { Authorization: `Bearer ${accessToken}` },
      });
      if (!answer.ok) throw new Error(`userinfo answered ${answer.status}`);
      const user = await answer.json();
      if (!user.email) throw new Error('Email was not available.');
      return { username: user.preferred_username || user.email.split('@')[0], email: user.email };
    },
  });
}

function providerGrant() {
  return {
    enabled: true,
    icon: 'key',
    key: 'strapi-login-dev',
    secret: 'strapi-login-dev-secret',
    oauth: 2,
    authorize_url: `${providerUrl()}/authorize`,
    access_url: `${providerUrl()}/token`,
    scope: ['openid', 'email', 'profile'],
    // Where Strapi sends the browser back with the login done: the app's page for it.
    callback: `${appUrl()}/connect/${PROVIDER}/redirect`,
  };
}

// The "Providers" settings (admin panel → Settings → Providers) as this environment wants them;
// the plugin keeps what an earlier start stored, so they are written on every start.
async function enableDevProvider(strapi) {
  const store = strapi.store({ type: 'plugin', name: 'users-permissions' });
  const grant = (await store.get({ key: 'grant' })) || {};
  await store.set({ key: 'grant', value: { ...grant, [PROVIDER]: providerGrant() } });
}

// The "Advanced settings" of Users & Permissions (admin panel → Settings), from the environment:
// where the links in Strapi's emails lead (the app's pages), and whether sign-up and email
// confirmation are on. The plugin writes its defaults before this runs; ours are merged over them.
async function configureAccountFlows(strapi) {
  const on = (name, fallback) => (process.env[name] ?? fallback).toLowerCase() === 'true';
  const app = appUrl();
  const store = strapi.store({ type: 'plugin', name: 'users-permissions' });
  const advanced = (await store.get({ key: 'advanced' })) || {};
  await store.set({
    key: 'advanced',
    value: {
      ...advanced,
      allow_register: on('STRAPI_ALLOW_REGISTER', 'true'),
      email_confirmation: on('STRAPI_EMAIL_CONFIRMATION', 'false'),
      email_reset_password: `${app}/auth/reset-password`,
      email_confirmation_redirection: `${app}/auth/email-confirmed`,
    },
  });
}

// The "Email templates" of Users & Permissions (admin panel → Settings → Email templates).
// Strapi's own, below as the plugin writes them on a first start (@strapi/plugin-users-permissions
// 5.54.0, server/src/bootstrap), put the link as plain text in a <p>, which a mail reader need not
// make clickable. Ours are Strapi's word for word with that link in an <a> whose text is the link
// itself. Strapi sends the message as both the HTML and the plain-text part, so the plain text
// still carries the address.
const from = { name: 'Administration Panel', email: 'no-reply@strapi.io' };
const STRAPI_EMAIL = {
  reset_password: {
    display: 'Email.template.reset_password',
    icon: 'sync',
    options: {
      from,
      response_email: '',
      object: 'Reset password',
      message: `<p>We heard that you lost your password. Sorry about that!</p>

<p>But don’t worry! You can use the following link to reset your password:</p>
<p><%= URL %>?code=<%= TOKEN %></p>

<p>Thanks.</p>`,
    },
  },
  email_confirmation: {
    display: 'Email.template.email_confirmation',
    icon: 'check-square',
    options: {
      from,
      response_email: '',
      object: 'Account confirmation',
      message: `<p>Thank you for registering!</p>

<p>You have to confirm your email address. Please click on the link below.</p>

<p><%= URL %>?confirmation=<%= CODE %></p>

<p>Thanks.</p>`,
    },
  },
};
const LINKS = {
  reset_password: '<%= URL %>?code=<%= TOKEN %>',
  email_confirmation: '<%= URL %>?confirmation=<%= CODE %>',
};
const linkedMessage = (name) =>
  STRAPI_EMAIL[name].options.message.replace(`<p>${LINKS[name]}</p>`, `<p><a href="${LINKS[name]}">${LINKS[name]}</a></p>`);

// Written on every start, like the settings above, over what is stored: a template's sender,
// reply-to and subject stay as stored, and its message is replaced only while it is still Strapi's
// default or ours (a message an operator edited in the admin panel stays as they wrote it).
async function configureEmailTemplates(strapi) {
  const store = strapi.store({ type: 'plugin', name: 'users-permissions' });
  const stored = (await store.get({ key: 'email' })) || {};
  const same = (a, b) => typeof a === 'string' && a.replace(/\r\n/g, '\n').trim() === b.trim();
  const value = { ...stored };
  for (const [name, strapiDefault] of Object.entries(STRAPI_EMAIL)) {
    const template = { ...strapiDefault, ...stored[name] };
    const options = { ...strapiDefault.options, ...template.options };
    const ours = linkedMessage(name);
    if (same(options.message, strapiDefault.options.message) || same(options.message, ours)) {
      options.message = ours;
    }
    value[name] = { ...template, options };
  }
  await store.set({ key: 'email', value });
}

// The demo user (idempotent): confirmed, not blocked, in the Authenticated role, created through
// the plugin's user service so its password is hashed. Its favouriteColour (the field that
// src/extensions/users-permissions adds) is "teal"; a demo user seeded before that field existed
// gets it on the next start.
async function seedDemoUser(strapi) {
  const username = process.env.DEMO_USERNAME || 'demo';
  const email = process.env.DEMO_EMAIL || 'demo@example.com';
  const password = process.env.DEMO_PASSWORD || 'Demo-Passw0rd!';
  const favouriteColour = 'teal';

  const users = strapi.db.query('plugin::users-permissions.user');
  const existing = await users.findOne({ where: { email } });
  if (existing) {
    if (existing.favouriteColour == null) {
      await users.update({ where: { id: existing.id }, data: { favouriteColour } });
    }
    return;
  }

  const role = await strapi.db
    .query('plugin::users-permissions.role')
    .findOne({ where: { type: 'authenticated' } });
  await strapi.plugin('users-permissions').service('user').add({
    username,
    email,
    password,
    provider: 'local',
    confirmed: true,
    blocked: false,
    role: role.id,
    favouriteColour,
  });
  strapi.log.info(`Seeded demo user ${email}`);
}
