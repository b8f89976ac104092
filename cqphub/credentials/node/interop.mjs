// Independent check of cqphub's credentials with Digital Bazaar's libraries (tests/credentials/test_interop.py).
//
//   node interop.mjs verify < {"documents": {url: doc}, "credentials": [vc...]}
//     -> [{"verified": bool, "revoked": bool|null, "error": str|null}...]
//   node interop.mjs sign < {"credential": vc}
//     -> {"signed": vc, "publicKeyMultibase": "z6Mk..."}   (signed with a fresh did:key Ed25519 key)
//   node interop.mjs canonize < {"documents": [doc...]}
//     -> ["canonical N-Quads"...]   (rdf-canonize, RDFC-1.0, through jsonld.js)
//
// The document loader serves only the JSON-LD contexts that export-contexts.mjs took from the npm
// packages (build/contexts.json) plus the documents given on stdin (our DID document, status list):
// nothing is fetched from the network.
import {readFileSync} from 'node:fs';
import jsonld from 'jsonld';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';

const contexts = JSON.parse(readFileSync(new URL('./build/contexts.json', import.meta.url), 'utf8'));
const MULTIKEY_V1 = 'https://w3id.org/security/multikey/v1';

function makeLoader(documents) {
  return async url => {
    if(contexts[url]) {
      return {contextUrl: null, documentUrl: url, document: contexts[url]};
    }
    if(documents[url]) {
      return {contextUrl: null, documentUrl: url, document: documents[url]};
    }
    const [base, fragment] = url.split('#');
    if(fragment !== undefined) {
      let controller = documents[base];
      if(!controller && base.startsWith('did:key:')) {
        controller = didKeyDocument(base);
      }
      const method = controller && (controller.verificationMethod || []).find(m => m.id === url);
      if(method) {
        return {contextUrl: null, documentUrl: url, document: {'@context': MULTIKEY_V1, ...method}};
      }
    } else if(url.startsWith('did:key:')) {
      return {contextUrl: null, documentUrl: url, document: didKeyDocument(url)};
    }
    throw new Error(`document loader refused ${url}`);
  };
}

function didKeyDocument(did) {
  const multibase = did.slice('did:key:'.length);
  const id = `${did}#${multibase}`;
  return {
    '@context': ['https://www.w3.org/ns/did/v1', MULTIKEY_V1],
    id: did,
    verificationMethod: [{id, type: 'Multikey', controller: did, publicKeyMultibase: multibase}],
    assertionMethod: [id]
  };
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function verify({documents = {}, credentials}) {
  const documentLoader = makeLoader(documents);
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});
  const out = [];
  for(const credential of credentials) {
    const result = await vc.verifyCredential({credential, suite, documentLoader, checkStatus});
    const status = result.statusResult && result.statusResult.results &&
      result.statusResult.results[0];
    out.push({
      verified: result.verified,
      revoked: status && status.verified ? status.status : null,
      error: result.verified ? null : String(
        (result.error && (result.error.errors || [result.error]).map(e => e.message).join('; ')) ||
        (result.statusResult && result.statusResult.error && result.statusResult.error.message) ||
        'not verified')
    });
  }
  return out;
}

async function sign({credential}) {
  const keyPair = await Ed25519Multikey.generate();
  const {publicKeyMultibase} = keyPair;
  keyPair.controller = `did:key:${publicKeyMultibase}`;
  keyPair.id = `${keyPair.controller}#${publicKeyMultibase}`;
  const suite = new DataIntegrityProof({signer: keyPair.signer(), cryptosuite: eddsaRdfc2022CryptoSuite});
  const unsigned = {...credential, issuer: {...credential.issuer, id: keyPair.controller}};
  delete unsigned.credentialStatus;
  const signed = await vc.issue({credential: unsigned, suite, documentLoader: makeLoader({})});
  return {signed, publicKeyMultibase};
}

async function canonize({documents}) {
  const documentLoader = makeLoader({});
  const out = [];
  for(const document of documents) {
    out.push(await jsonld.canonize(document, {
      algorithm: 'RDFC-1.0', format: 'application/n-quads', documentLoader, safe: true
    }));
  }
  return out;
}

const commands = {verify, sign, canonize};
const command = process.argv[2];
const input = await readStdin();
const output = commands[command] ? await commands[command](input) : null;
if(output === null) {
  console.error('usage: node interop.mjs verify|sign|canonize < input.json');
  process.exit(2);
}
process.stdout.write(JSON.stringify(output) + '\n');
