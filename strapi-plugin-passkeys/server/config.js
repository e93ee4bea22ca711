'use strict';

// config/plugins.js → passkeys.config:
//   origins       the app's origins, where people use their passkeys (['https://login.example.com'])
//   rpId          the relying party id: the origins' registrable domain or one of their hosts
//                 (default: the first origin's host name). Passkeys are bound to it for good.
//   rpName        the name authenticators show beside the passkey (default 'Strapi')
//   challengeTtl  how long a registration or sign-in challenge lives, in ms (default 5 minutes)
//   timeout       how long the browser's prompt waits, in ms (default 60 s)
//   maxPasskeys   how many passkeys one person may have (default 20): each is a row, and listed in
//                 every registration options answer of theirs
//   maxChallenges how many challenges may be outstanding at once, everyone's together (default
//                 10000): sign-in options are public, and each is a row until it expires
//   confirmationTtl  how long a "confirm it's you" lasts, in ms (default 10 minutes): adding or
//                 removing a passkey within it needs no new confirmation
//   mails         security mails: { enabled (default true), accountUrl (default the first origin),
//                 templates: { <event>: {subject, text, html?} or false } } (services/mails.js)
const DEFAULTS = {
  origins: ['http://localhost:3000'],
  rpId: undefined,
  rpName: 'Strapi',
  challengeTtl: 5 * 60 * 1000,
  timeout: 60 * 1000,
  maxPasskeys: 20,
  maxChallenges: 10000,
  confirmationTtl: 10 * 60 * 1000,
  mails: { enabled: true, accountUrl: undefined, templates: {} },
};

const MAIL_EVENTS = ['passkeyAdded', 'passkeyRemoved', 'passkeysRemoved', 'passwordChanged', 'passwordReset'];

function validateMails(mails) {
  if (mails === undefined) return;
  if (!mails || typeof mails !== 'object') throw new Error('passkeys: `mails` must be an object');
  const { enabled, accountUrl, templates } = mails;
  if (enabled !== undefined && typeof enabled !== 'boolean') throw new Error('passkeys: `mails.enabled` must be true or false');
  if (accountUrl !== undefined) {
    let url;
    try {
      url = new URL(accountUrl);
    } catch {
      throw new Error('passkeys: `mails.accountUrl` must be a URL, e.g. https://login.example.com/dashboard');
    }
    if (!['https:', 'http:'].includes(url.protocol)) throw new Error('passkeys: `mails.accountUrl` must be an http(s) URL');
  }
  if (templates === undefined) return;
  if (!templates || typeof templates !== 'object') throw new Error('passkeys: `mails.templates` must be an object');
  for (const [event, template] of Object.entries(templates)) {
    if (!MAIL_EVENTS.includes(event)) {
      throw new Error(`passkeys: \`mails.templates.${event}\` is not a mail; they are ${MAIL_EVENTS.join(', ')}`);
    }
    if (template === false) continue;
    const fields = Object.entries(template ?? {});
    if (!template || typeof template !== 'object' || fields.some(([k, v]) => !['subject', 'text', 'html'].includes(k) || typeof v !== 'string')) {
      throw new Error(`passkeys: \`mails.templates.${event}\` must be false or {subject, text, html} strings`);
    }
  }
}

function validator(config) {
  const { origins, rpId, rpName, challengeTtl, timeout, confirmationTtl, mails, maxPasskeys, maxChallenges } = config;
  if (!Array.isArray(origins) || origins.length === 0) {
    throw new Error('passkeys: `origins` must list at least one origin, e.g. https://login.example.com');
  }
  for (const origin of origins) {
    let url;
    try {
      url = new URL(origin);
    } catch {
      throw new Error(`passkeys: origin ${JSON.stringify(origin)} is not a URL`);
    }
    if (url.origin !== origin) {
      throw new Error(`passkeys: origin ${JSON.stringify(origin)} must be written as ${url.origin}`);
    }
    if (/^[0-9.]+$/.test(url.hostname) || url.hostname.startsWith('[')) {
      throw new Error(`passkeys: origin ${origin} is an IP address; passkeys need a domain name (http://localhost in development)`);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && url.hostname === 'localhost')) {
      throw new Error(`passkeys: origin ${origin} must be https (browsers offer passkeys on secure origins only)`);
    }
    const id = rpId ?? new URL(origins[0]).hostname;
    if (url.hostname !== id && !url.hostname.endsWith(`.${id}`)) {
      throw new Error(`passkeys: rpId ${id} is neither ${url.hostname} nor a domain it is under`);
    }
  }
  if (rpId !== undefined && (typeof rpId !== 'string' || !/^[a-z0-9.-]+$/i.test(rpId))) {
    throw new Error('passkeys: `rpId` must be a domain name such as example.com');
  }
  if (typeof rpName !== 'string' || rpName.trim() === '') {
    throw new Error('passkeys: `rpName` must be a non-empty string');
  }
  for (const [name, value] of Object.entries({ challengeTtl, timeout })) {
    if (!Number.isInteger(value) || value < 1000 || value > 30 * 60 * 1000) {
      throw new Error(`passkeys: \`${name}\` must be a whole number of milliseconds from 1000 to 1800000`);
    }
  }
  if (!Number.isInteger(maxPasskeys) || maxPasskeys < 1 || maxPasskeys > 100) {
    throw new Error('passkeys: `maxPasskeys` must be a whole number from 1 to 100');
  }
  if (!Number.isInteger(maxChallenges) || maxChallenges < 1 || maxChallenges > 1000000) {
    throw new Error('passkeys: `maxChallenges` must be a whole number from 1 to 1000000');
  }
  if (!Number.isInteger(confirmationTtl) || confirmationTtl < 1000 || confirmationTtl > 60 * 60 * 1000) {
    throw new Error('passkeys: `confirmationTtl` must be a whole number of milliseconds from 1000 to 3600000 (1 h)');
  }
  validateMails(mails);
}

module.exports = { default: DEFAULTS, validator };
