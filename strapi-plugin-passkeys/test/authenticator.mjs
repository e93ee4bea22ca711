// A software authenticator, just enough WebAuthn for the plugin's tests: ES256 (P-256) passkeys,
// "none" attestation, assertions signed with node:crypto. It answers the JSON shapes a browser's
// navigator.credentials.create()/get() give (as @simplewebauthn/browser serializes them), with
// base64url fields, and lets a test bend what a real authenticator would never send: no UV flag,
// a chosen signCount, another origin, another user handle, another key's signature, backup flags
// that change, a padded public key, made-up transports.
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
const sha256 = (data) => createHash('sha256').update(data).digest();

// Flags of authenticatorData (WebAuthn §6.1): user present, user verified, backup eligible,
// backed up, attested data.
export const UP = 0x01;
export const UV = 0x04;
export const BE = 0x08;
export const BS = 0x10;
const AT = 0x40;

// --- A tiny CBOR encoder (RFC 8949): unsigned and negative ints, byte and text strings, maps. ---

function head(major, value) {
  if (value < 24) return Buffer.from([(major << 5) | value]);
  if (value < 0x100) return Buffer.from([(major << 5) | 24, value]);
  if (value < 0x10000) {
    const b = Buffer.alloc(3);
    b[0] = (major << 5) | 25;
    b.writeUInt16BE(value, 1);
    return b;
  }
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(value, 1);
  return b;
}

/** CBOR for a number (integer), string, Buffer/Uint8Array or Map (keys in insertion order). */
export function cbor(value) {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error('cbor: integers only');
    return value >= 0 ? head(0, value) : head(1, -1 - value);
  }
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  if (value instanceof Map) {
    const parts = [head(5, value.size)];
    for (const [k, v] of value) parts.push(cbor(k), cbor(v));
    return Buffer.concat(parts);
  }
  throw new Error(`cbor: cannot encode ${typeof value}`);
}

// --- Passkeys ---

function newKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, publicKey };
}

// The credential public key as COSE_Key (RFC 9053): kty EC2, alg ES256, crv P-256, x, y; with
// `padding` bytes more under a label no one reads (-100), as a hostile client could add.
function coseKey(publicKey, padding = 0) {
  const jwk = publicKey.export({ format: 'jwk' });
  const fields = [
    [1, 2],
    [3, -7],
    [-1, 1],
    [-2, Buffer.from(jwk.x, 'base64url')],
    [-3, Buffer.from(jwk.y, 'base64url')],
  ];
  if (padding > 0) fields.push([-100, Buffer.alloc(padding, 7)]);
  return cbor(new Map(fields));
}

function authenticatorData(rpId, flags, signCount, attested) {
  const counter = Buffer.alloc(4);
  counter.writeUInt32BE(signCount >>> 0);
  return Buffer.concat([sha256(rpId), Buffer.from([flags]), counter, ...(attested ? [attested] : [])]);
}

const clientData = (type, challenge, origin) =>
  Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), 'utf8');

/**
 * A passkey on this software authenticator, for the site `origin` (default http://localhost:3000,
 * relying party id its host name unless `rpId` says otherwise). Made by `attest()`; `assert()` then
 * signs in with it. `backupEligible` (BE) makes it a synced passkey, `backedUp` (BS) a synced one
 * that is backed up; a single-device one by default.
 */
export class Passkey {
  constructor({ origin = 'http://localhost:3000', rpId, backupEligible = false, backedUp = false } = {}) {
    this.origin = origin;
    this.rpId = rpId ?? new URL(origin).hostname;
    this.backupEligible = backupEligible;
    this.backedUp = backedUp;
    this.id = randomBytes(16);
    this.key = newKey();
    this.signCount = 0;
    this.userHandle = null;
  }

  get credentialId() {
    return b64url(this.id);
  }

  /**
   * The answer of navigator.credentials.create() to PublicKeyCredentialCreationOptionsJSON
   * `options`: a RegistrationResponseJSON. Keeps `options.user.id` as this passkey's user handle.
   * `uv: false` leaves out the user-verified flag; `origin` and `challenge` replace what the
   * client would write into clientDataJSON; `publicKeyPadding` bytes pad the public key;
   * `transports` replaces the response's ['internal'].
   */
  attest(
    options,
    {
      uv = true,
      origin = this.origin,
      challenge = options.challenge,
      rpId = options.rp?.id ?? this.rpId,
      publicKeyPadding = 0,
      transports = ['internal'],
    } = {},
  ) {
    this.userHandle = options.user.id;
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.id.length);
    const publicKey = coseKey(this.key.publicKey, publicKeyPadding);
    const attested = Buffer.concat([Buffer.alloc(16) /* AAGUID: none */, idLength, this.id, publicKey]);
    const flags = UP | (uv ? UV : 0) | AT | backupFlags(this.backupEligible, this.backedUp);
    const authData = authenticatorData(rpId, flags, this.signCount, attested);
    const attestationObject = cbor(
      new Map([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientData('webauthn.create', challenge, origin)),
        attestationObject: b64url(attestationObject),
        transports,
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: { credProps: { rk: true } },
    };
  }

  /**
   * The answer of navigator.credentials.get() to PublicKeyCredentialRequestOptionsJSON `options`:
   * an AuthenticationResponseJSON. The signCount goes up by one unless `signCount` sets it; `uv`,
   * `origin`, `challenge` as for attest(); `userHandle` replaces the stored one; `signWith` (a
   * node:crypto private key) signs instead of this passkey's own key; `backupEligible` and
   * `backedUp` replace the passkey's BE and BS flags.
   */
  assert(
    options,
    {
      uv = true,
      origin = this.origin,
      challenge = options.challenge,
      rpId = options.rpId ?? this.rpId,
      signCount = this.signCount + 1,
      userHandle = this.userHandle,
      signWith = this.key.privateKey,
      backupEligible = this.backupEligible,
      backedUp = this.backedUp,
    } = {},
  ) {
    this.signCount = signCount;
    const authData = authenticatorData(rpId, UP | (uv ? UV : 0) | backupFlags(backupEligible, backedUp), signCount);
    const clientDataJSON = clientData('webauthn.get', challenge, origin);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), {
      key: signWith,
      dsaEncoding: 'der',
    });
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle,
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    };
  }
}

const backupFlags = (eligible, backedUp) => (eligible ? BE : 0) | (backedUp ? BS : 0);

/** A private key no passkey of the server's knows: for signatures that must not verify. */
export const strangerKey = () => newKey().privateKey;

/** A user handle as generateRegistrationOptions makes them (32 random bytes, base64url). */
export const randomUserHandle = () => b64url(randomBytes(32));
