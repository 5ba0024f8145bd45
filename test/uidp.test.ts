// UIDPs exactly as Chainguard's: 40 hex root, then "/" + 16 hex per level.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { descendantRange, isDescendant, isRootUidp, isSelfOrAncestor, isUidp, newChildUidp, newRootUidp, parentOf, selfAndAncestors } from '../src/iam/uidp.js';

const root = 'f1d5337370e7d8e99282c25286804a5b2cfc1682';
const child = `${root}/fc5787bc18e93bea`; // the seed's sample output

it('accepts the seed sample and well-formed UIDPs', () => {
  assert.ok(isUidp(root) && isRootUidp(root));
  assert.ok(isUidp(child) && !isRootUidp(child));
  assert.ok(isUidp(newChildUidp(newChildUidp(newRootUidp()))));
});

it('refuses look-alikes', () => {
  for (const bad of [
    '', root.toUpperCase(), root.slice(1), `${root}/`, `${root}/fc5787bc18e93be`, `${root}/fc5787bc18e93beaa`,
    `${root}//fc5787bc18e93bea`, `${root}/FC5787BC18E93BEA`, `${root}/fc5787bc18e93bez`, ` ${root}`, `${root}\n`,
    '66fe8510254166621680aeb4sample222222/3359173sampled', `${root}/fc5787bc18e93bea`.repeat(40), 42, null,
  ]) assert.equal(isUidp(bad), false, JSON.stringify(bad));
});

it('answers ancestry', () => {
  const g = `${child}/0123456789abcdef`;
  assert.deepEqual(selfAndAncestors(g), [root, child, g]);
  assert.equal(parentOf(g), child);
  assert.equal(parentOf(root), undefined);
  assert.ok(isSelfOrAncestor(root, g) && isSelfOrAncestor(g, g) && !isSelfOrAncestor(g, root));
  const sibling = `${root}/fc5787bc18e93beb`;
  assert.ok(!isDescendant(sibling, child) && !isSelfOrAncestor(child, sibling));
  const prefixTwin = `${root.slice(0, 39)}3`; // shares 39 chars with root
  assert.ok(!isDescendant(`${prefixTwin}/fc5787bc18e93bea`, root));
  const { lower, upper } = descendantRange(child);
  assert.ok(g >= lower && g < upper && !(sibling >= lower && sibling < upper));
});
