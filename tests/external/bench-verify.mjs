// Benchmark: verify the same credentials as bench/badges.py with Digital Bazaar's
// eddsa-rdfc-2022 verifier (@digitalbazaar/vc) and their VC-JWTs with panva's `jose`.
// usage: node bench-verify.mjs INPUT.json
// INPUT: {"credentials": [...], "jwts": [...], "documents": {...}, "jwks": {...},
//         "issuer": "<did>", "now": "<iso>"}
// stdout: {"data_integrity": {count, seconds, cpu_seconds, rate, all_verified},
//          "jwt": {count, seconds, cpu_seconds, rate, all_verified}}
import {readFile} from 'node:fs/promises';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {createLocalJWKSet, jwtVerify} from 'jose';
import {makeLoader} from './loader.mjs';

const input = JSON.parse(await readFile(process.argv[2], 'utf8'));
const documentLoader = makeLoader(input.documents || {});
const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});
const now = input.now ? new Date(input.now) : undefined;

async function dbVerify(credential) {
  const result = await vc.verifyCredential({
    credential, suite, documentLoader, now,
    checkStatus: async () => ({verified: true}),  // same as verify.mjs: the proof is judged
  });
  return result.verified;
}

const jwks = createLocalJWKSet(input.jwks);
async function joseVerify(token) {
  try {
    await jwtVerify(token, jwks, {algorithms: ['EdDSA'], issuer: input.issuer,
                                  currentDate: now});
    return true;
  } catch {
    return false;
  }
}

async function measure(items, verify) {
  if (!items.length) return null;
  await verify(items[0]);  // warm-up (loads contexts, JIT)
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let ok = true;
  for (const item of items) ok = (await verify(item)) && ok;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {count: items.length, seconds, cpu_seconds: cpuSeconds,
          rate: items.length / seconds, cpu_rate: items.length / cpuSeconds, all_verified: ok};
}

const output = {
  data_integrity: await measure(input.credentials || [], dbVerify),
  jwt: await measure(input.jwts || [], joseVerify),
};
process.stdout.write(JSON.stringify(output) + '\n');
