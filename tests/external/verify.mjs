// Verify a credential with Digital Bazaar's implementation.
// stdin: {"credential": {...}, "documents": {"<did or url>": {...}}, "now": "<iso date>"}
// stdout: {"verified": bool, "error": string|null}
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {makeLoader, readStdinJson} from './loader.mjs';

const input = await readStdinJson();
const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});
let output;
try {
  const result = await vc.verifyCredential({
    credential: input.credential,
    suite,
    documentLoader: makeLoader(input.documents || {}),
    // status lists are checked by our own tests; Digital Bazaar judges the proof
    checkStatus: async () => ({verified: true}),
    now: input.now ? new Date(input.now) : undefined,
  });
  const errors = [];
  const collect = e => { if (e) errors.push(e.message || String(e)); };
  collect(result.error);
  for (const r of result.results || []) collect(r.error);
  output = {verified: Boolean(result.verified), error: errors.length ? errors.join('; ') : null};
} catch (e) {
  output = {verified: false, error: e.message || String(e)};
}
process.stdout.write(JSON.stringify(output) + '\n');
