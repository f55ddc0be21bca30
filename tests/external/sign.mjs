// Sign a credential with Digital Bazaar's implementation (eddsa-rdfc-2022).
// stdin: {"credential": {...}, "key": {"id", "controller", "publicKeyMultibase",
//         "secretKeyMultibase"}, "documents": {...}}
// stdout: the signed credential (Digital Bazaar writes "proof" as a single object)
import * as vc from '@digitalbazaar/vc';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {makeLoader, readStdinJson} from './loader.mjs';

const input = await readStdinJson();
const keyPair = await Ed25519Multikey.from({type: 'Multikey', ...input.key});
const suite = new DataIntegrityProof({
  signer: keyPair.signer(),
  cryptosuite: eddsaRdfc2022CryptoSuite,
});
const signed = await vc.issue({
  credential: input.credential,
  suite,
  documentLoader: makeLoader(input.documents || {}),
});
process.stdout.write(JSON.stringify(signed) + '\n');
