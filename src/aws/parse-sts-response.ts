// Parses STS's GetCallerIdentity answer (upstream bytes: strict, as if untrusted). Accepts the
// JSON form (what STS sends when `Accept: application/json` was signed) and the XML form;
// requires exactly one result with a 12-digit Account, an Arn of that account in the
// endpoint's partition, and a UserId.

import { PARTITIONS, type AwsPartition } from './constants.js';
import { refuse } from './errors.js';
import { parseTinyXml, type XmlElement } from './parse-tiny-xml.js';
import { principalArnParts } from './principal-arn.js';

/** Who STS says signed the request. */
export interface CallerIdentity {
  readonly account: string;
  readonly arn: string;
  readonly userId: string;
  readonly partition: AwsPartition;
}

const STS_XML_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const MAX_ARN_LENGTH = 2048;
const MAX_USER_ID_LENGTH = 512;

function badResponse(message: string): never {
  throw refuse('STS_BAD_RESPONSE', `STS answered with ${message}`);
}

function isPrintableNoSpace(s: string, max: number): boolean {
  if (s.length === 0 || s.length > max) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

function validate(
  fields: { Account: string; Arn: string; UserId: string },
  partition: AwsPartition,
): CallerIdentity {
  const { Account: account, Arn: arn, UserId: userId } = fields;
  if (!/^[0-9]{12}$/.test(account)) badResponse('an Account that is not 12 digits');
  if (!isPrintableNoSpace(arn, MAX_ARN_LENGTH)) badResponse('a malformed Arn');
  if (!isPrintableNoSpace(userId, MAX_USER_ID_LENGTH)) badResponse('a malformed UserId');
  const parts = principalArnParts(arn);
  if (parts === undefined || !(PARTITIONS as readonly string[]).includes(parts.partition)) {
    badResponse('an Arn that is not an IAM or STS principal');
  }
  if (parts.account !== account) badResponse('an Arn of another account than Account');
  if (parts.partition !== partition) badResponse("an Arn outside the endpoint's partition");
  return { account, arn, userId, partition };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function onlyKeys(o: Record<string, unknown>, allowed: readonly string[]): boolean {
  return Object.keys(o).every((k) => allowed.includes(k));
}

function countOf(haystack: string, needle: string): number {
  let n = 0;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) n++;
  return n;
}

function fromJson(text: string): { Account: string; Arn: string; UserId: string } {
  // JSON.parse keeps the last of repeated keys; with \u escapes ruled out, counting the quoted
  // names in the raw text proves each appears once (values never contain a bare quote).
  if (text.includes('\\u')) badResponse('JSON escapes where none are expected');
  if (countOf(text, '"GetCallerIdentityResult"') !== 1) badResponse('not exactly one GetCallerIdentityResult');
  for (const key of ['"Account"', '"Arn"', '"UserId"']) {
    if (countOf(text, key) !== 1) badResponse('a result without exactly one Account, Arn and UserId');
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return badResponse('malformed JSON');
  }
  if (!isObject(doc) || !onlyKeys(doc, ['GetCallerIdentityResponse'])) badResponse('an unexpected JSON document');
  const response = doc.GetCallerIdentityResponse;
  if (!isObject(response) || !onlyKeys(response, ['GetCallerIdentityResult', 'ResponseMetadata'])) {
    badResponse('an unexpected JSON document');
  }
  const result = response.GetCallerIdentityResult;
  if (!isObject(result) || !onlyKeys(result, ['Account', 'Arn', 'UserId'])) badResponse('an unexpected result');
  const { Account, Arn, UserId } = result;
  if (typeof Account !== 'string' || typeof Arn !== 'string' || typeof UserId !== 'string') {
    badResponse('a result missing Account, Arn or UserId');
  }
  return { Account, Arn, UserId };
}

function leaf(e: XmlElement): string {
  if (e.children.length > 0 || e.attributes.size > 0) badResponse('an unexpected XML result');
  return e.text;
}

function fromXml(text: string): { Account: string; Arn: string; UserId: string } {
  const root = parseTinyXml(text);
  if (root === undefined) badResponse('malformed XML');
  if (root.name !== 'GetCallerIdentityResponse') badResponse('an unexpected XML document');
  for (const [k, v] of root.attributes) {
    if (k !== 'xmlns' || v !== STS_XML_NAMESPACE) badResponse('an unexpected XML namespace');
  }
  const results = root.children.filter((c) => c.name === 'GetCallerIdentityResult');
  const others = root.children.filter((c) => c.name !== 'GetCallerIdentityResult' && c.name !== 'ResponseMetadata');
  if (results.length !== 1 || others.length > 0 || root.children.length - results.length > 1) {
    badResponse('not exactly one GetCallerIdentityResult');
  }
  const result = results[0] as XmlElement;
  const fields = new Map<string, string>();
  for (const c of result.children) {
    if ((c.name !== 'Account' && c.name !== 'Arn' && c.name !== 'UserId') || fields.has(c.name)) {
      badResponse('an unexpected XML result');
    }
    fields.set(c.name, leaf(c));
  }
  const Account = fields.get('Account');
  const Arn = fields.get('Arn');
  const UserId = fields.get('UserId');
  if (Account === undefined || Arn === undefined || UserId === undefined) {
    badResponse('a result missing Account, Arn or UserId');
  }
  return { Account, Arn, UserId };
}

/**
 * Parses a 200 answer's body. `contentType` picks the form (JSON for application/json,
 * XML for text/xml or application/xml; without one, the first character decides). Throws
 * STS_BAD_RESPONSE.
 */
export function parseStsResponse(
  text: string,
  contentType: string | undefined,
  partition: AwsPartition,
): CallerIdentity {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const first = text.trimStart()[0];
  const json =
    type === 'application/json' || type === 'application/x-amz-json-1.0' || (type === '' && first === '{');
  const xml = type === 'text/xml' || type === 'application/xml' || (type === '' && first === '<');
  if (json) return validate(fromJson(text), partition);
  if (xml) return validate(fromXml(text), partition);
  return badResponse('an unexpected Content-Type');
}
