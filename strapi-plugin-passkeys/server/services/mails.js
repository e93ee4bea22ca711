'use strict';

// Security mails: Strapi tells the person by mail when a way into their account was added,
// removed or changed, so that someone who did not do it finds out and can act. Sent through
// Strapi's email plugin (whatever provider the operator configured), from templates the operator
// can replace or switch off (config `mails`). A mail that cannot be sent is logged; it never
// undoes or fails what already happened.

const { buildSessionMetadata } = require('@strapi/utils');

const USER = 'plugin::users-permissions.user';

const WHAT_NOW =
  'If this was you, there is nothing to do. If it was not, someone else may be using your account: ' +
  'reset your password, then check your passkeys and signed-in devices on your account page:';

// Subjects and texts of the mails, with {{placeholders}}: username, when, browser, ip, passkey,
// count, accountUrl. The HTML part is the text's paragraphs, escaped, with the link made a link.
const TEMPLATES = {
  passkeyAdded: {
    subject: 'A passkey was added to your account',
    text: `Hello {{username}},

A passkey named "{{passkey}}" was added to your account on {{when}}, from {{browser}} ({{ip}}). It can sign in to your account without your password.

${WHAT_NOW}
{{accountUrl}}`,
  },
  passkeyRemoved: {
    subject: 'A passkey was removed from your account',
    text: `Hello {{username}},

The passkey named "{{passkey}}" was removed from your account on {{when}}, from {{browser}} ({{ip}}). It no longer signs in to your account.

${WHAT_NOW}
{{accountUrl}}`,
  },
  passkeysRemoved: {
    subject: 'All passkeys were removed from your account',
    text: `Hello {{username}},

Every passkey of your account ({{count}} in all) was removed on {{when}}, from {{browser}} ({{ip}}). None of them signs in to your account any more.

${WHAT_NOW}
{{accountUrl}}`,
  },
  passwordChanged: {
    subject: 'Your password was changed',
    text: `Hello {{username}},

The password of your account was changed on {{when}}, from {{browser}} ({{ip}}).

${WHAT_NOW}
{{accountUrl}}`,
  },
  passwordReset: {
    subject: 'Your password was reset',
    text: `Hello {{username}},

The password of your account was reset with a link from a mail on {{when}}, from {{browser}} ({{ip}}).

${WHAT_NOW}
{{accountUrl}}`,
  },
};

const escapeHtml = (text) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

const fill = (template, values, escape = (v) => v) =>
  template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name) => (name in values ? escape(String(values[name])) : whole));

// Paragraphs of the text as HTML; the account link (a line that is exactly the URL) as a link.
function html(text, values) {
  return fill(text, values, escapeHtml)
    .split(/\n{2,}/)
    .map((paragraph) => {
      const lines = paragraph.split('\n').map((line) => {
        const url = escapeHtml(String(values.accountUrl ?? ''));
        return url && line === url ? `<a href="${url}">${url}</a>` : line;
      });
      return `<p>${lines.join('<br>')}</p>`;
    })
    .join('\n');
}

module.exports = ({ strapi }) => ({
  /** The template of `event` as the operator configured it: `{subject, text, html?}`, or null if off. */
  template(event) {
    const mails = strapi.config.get('plugin::passkeys.mails');
    if (mails?.enabled === false) return null;
    const configured = mails.templates?.[event];
    if (configured === false) return null;
    return { ...TEMPLATES[event], ...(configured ?? {}) };
  },

  /**
   * Mails `user` about `event` (a key of the templates), which `ctx` (the request, if any) just
   * did; `values` fill the template's own placeholders (passkey, count). Never throws: callers
   * need not wait for it (a slow mail server must not hold up the request).
   */
  async send(user, event, ctx, values = {}) {
    const template = this.template(event);
    if (!template) return;
    try {
      const person = await strapi.db.query(USER).findOne({ where: { id: user.id }, select: ['id', 'username', 'email'] });
      if (!person?.email) return;
      const { origins, mails } = strapi.config.get('plugin::passkeys');
      const all = {
        username: person.username ?? person.email,
        when: new Date().toUTCString(),
        browser: buildSessionMetadata({ userAgent: ctx?.request?.header?.['user-agent'] }).deviceName ?? 'an unknown browser',
        ip: ctx?.request?.ip ?? 'an unknown address',
        accountUrl: mails.accountUrl ?? origins[0],
        ...values,
      };
      await strapi.plugin('email').service('email').send({
        to: person.email,
        subject: fill(template.subject, all),
        text: fill(template.text, all),
        html: template.html ? fill(template.html, all, escapeHtml) : html(template.text, all),
      });
    } catch (error) {
      strapi.log.error(`passkeys: the "${event}" security mail could not be sent: ${error.message}`);
    }
  },
});

module.exports.TEMPLATES = TEMPLATES;
