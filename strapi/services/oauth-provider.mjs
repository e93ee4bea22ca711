// The development Strapi's OAuth2 / OpenID Connect provider: oauth2-mock-server's service on
// 127.0.0.1, which authorizes at once (no login screen of its own), plus a small control API so a
// person or a test can choose who logs in next, or make the next authorization fail:
//
//   node oauth-provider.mjs PORT
//   POST /control/next   {"email": "...", "username": "..."}  who the next login is
//   POST /control/next   {"deny": true}                        the next authorization is refused
//                                                              (error=access_denied, as a provider
//                                                              does when the person says no)
//
// Without a control call, the login is mock.user@example.com (a new account on first use: Strapi
// refuses a provider login whose email belongs to a local account, such as the demo user's).
import { createServer } from 'node:http';
import { OAuth2Issuer, OAuth2Service } from 'oauth2-mock-server';

const port = Number(process.argv[2]);
if (!Number.isInteger(port)) throw new Error('usage: node oauth-provider.mjs PORT');

const usual = { email: 'mock.user@example.com', username: 'mockuser' };
let next = null; // what the control API asked for the next login

const issuer = new OAuth2Issuer();
issuer.url = `http://127.0.0.1:${port}`;
await issuer.keys.generate('RS256');
const service = new OAuth2Service(issuer);

service.on('beforeAuthorizeRedirect', ({ url }) => {
  if (!next?.deny) return;
  next = null;
  url.searchParams.delete('code');
  url.searchParams.set('error', 'access_denied');
  url.searchParams.set('error_description', 'The user denied the request');
});
service.on('beforeUserinfo', (response) => {
  const who = next ?? usual;
  next = null;
  response.body = {
    sub: who.email,
    email: who.email,
    email_verified: true,
    preferred_username: who.username ?? who.email.split('@')[0],
  };
});

const oauth = service.requestHandler;
createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/control/next') {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      try {
        next = JSON.parse(body || '{}');
        res.writeHead(204).end();
      } catch {
        res.writeHead(400).end('expected JSON');
      }
    });
    return;
  }
  oauth(req, res);
}).listen(port, '127.0.0.1', () => console.log(`OAuth2 provider on ${issuer.url}`));
