'use strict';

// config/plugins.js → passkeys.config:
//   origins       the app's origins, where people use their passkeys (['https://login.example.com'])
//   rpId          the relying party id: the origins' registrable domain or one of their hosts
//                 (default: the first origin's host name). Passkeys are bound to it for good.
//   rpName        the name authenticators show beside the passkey (default 'Strapi')
//   challengeTtl  how long a registration or sign-in challenge lives, in ms (default 5 minutes)
//   timeout       how long the browser's prompt waits, in ms (default 60 s)
const DEFAULTS = {
  origins: ['http://localhost:3000'],
  rpId: undefined,
  rpName: 'Strapi',
  challengeTtl: 5 * 60 * 1000,
  timeout: 60 * 1000,
};

function validator(config) {
  const { origins, rpId, rpName, challengeTtl, timeout } = config;
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
}

module.exports = { default: DEFAULTS, validator };
