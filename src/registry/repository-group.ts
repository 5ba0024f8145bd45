// The group a repository belongs to: its name is a path of group names, then the image's own
// name. `acme/team-a/app` lives in folder team-a of org acme; `acme/app` in org acme. The walk
// goes down from the organization as far as the names match exactly one group; an
// organization name that matches no group, or more than one, places the repository nowhere
// (group names are not unique, and a guess could grant access to the wrong tree).

import type { Store } from '../store/contract.js';

/** The UIDP of the group `repository` belongs to, or undefined when it belongs to none. */
export async function repositoryGroup(store: Store, repository: string): Promise<string | undefined> {
  const path = repository.split('/').slice(0, -1);
  if (path.length === 0) return undefined; // a bare name (library/ style) belongs to no group
  const orgs = await store.listGroups({ rootsOnly: true, name: path[0]!, limit: 2 });
  if (orgs.length !== 1) return undefined;
  let group = orgs[0]!.id;
  for (const name of path.slice(1)) {
    const children = await store.listGroups({ childrenOf: group, name, limit: 2 });
    if (children.length !== 1) break; // no such folder (or two of that name): the repository stays here
    group = children[0]!.id;
  }
  return group;
}
