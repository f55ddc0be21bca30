// Verify VC-JWTs with panva's `jose` (a standard JOSE library) against a JWKS.
// stdin: {"jwks": {"keys": [...]}, "tokens": ["<compact JWS>", ...], "issuer": "<iss>"}
// stdout: [{"verified": bool, "alg": string|null, "kid": string|null, "iss": string|null,
//           "vcId": string|null, "error": string|null}, ...]
import {createLocalJWKSet, jwtVerify} from 'jose';
import {readStdinJson} from './loader.mjs';

const input = await readStdinJson();
const jwks = createLocalJWKSet(input.jwks);
const results = [];
for (const token of input.tokens) {
  try {
    const {payload, protectedHeader} = await jwtVerify(token, jwks, {
      algorithms: ['EdDSA', 'Ed25519', 'RS256'],
      issuer: input.issuer,
    });
    results.push({
      verified: true,
      alg: protectedHeader.alg,
      kid: protectedHeader.kid ?? null,
      iss: payload.iss ?? null,
      vcId: payload.jti ?? payload.vc?.id ?? payload.id ?? null,
      error: null,
    });
  } catch (e) {
    results.push({verified: false, alg: null, kid: null, iss: null, vcId: null,
                  error: `${e.code || e.name}: ${e.message}`});
  }
}
process.stdout.write(JSON.stringify(results) + '\n');
