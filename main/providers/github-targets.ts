// Where each kind of GitHub key lives (docs/PLATFORMS.md): the user's SSH keys, a repository's
// deploy keys, the user's SSH signing keys; and what a token needs to delete each, for the words
// of a refusal (GitHub answers 404 to a token that may not, and keeps the key).
import { KeyholdError } from '../errors';

export type GithubTarget = { type: 'user' } | { type: 'deploy'; repo: string } | { type: 'signing' };

export const GITHUB_KEYS_PAGE = 'https://github.com/settings/keys';

/** The sync scope of the signing keys (a repository is OWNER/REPO: it never looks like this). */
export const SIGNING_SCOPE = 'SSH signing keys';

const REPO = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/;

/** OWNER/REPO as GitHub names a repository; anything else is INVALID_INPUT. */
export function checkRepository(repo: string): string {
  const m = REPO.exec(repo.trim());
  if (!m || m[2] === '.' || m[2] === '..')
    throw new KeyholdError('INVALID_INPUT', 'A GitHub repository is written OWNER/REPO (letters, digits, -, _ and .).');
  return `${m[1]}/${m[2]}`;
}

export interface TargetInfo {
  path: string;
  /** "deploy key", for messages */
  noun: string;
  /** where a person removes it by hand */
  page: string;
  /** what a classic token lacks when GitHub refuses to delete */
  missingClassic: string;
  /** the same when the token's kind is unknown (fine-grained: no scope header) */
  missingAny: string;
  needed: string;
}

export function targetOf(target: GithubTarget): TargetInfo {
  switch (target.type) {
    case 'user':
      return {
        path: '/user/keys',
        noun: 'key',
        page: GITHUB_KEYS_PAGE,
        missingClassic: 'the admin:public_key scope',
        missingAny: 'the right to delete keys (a classic token needs admin:public_key)',
        needed: 'admin:public_key',
      };
    case 'signing':
      return {
        path: '/user/ssh_signing_keys',
        noun: 'signing key',
        page: GITHUB_KEYS_PAGE,
        missingClassic: 'the admin:ssh_signing_key scope',
        missingAny:
          'the right to delete signing keys (a classic token needs admin:ssh_signing_key; a fine-grained one "SSH signing keys: write")',
        needed: 'admin:ssh_signing_key',
      };
    case 'deploy': {
      const [owner, repo] = checkRepository(target.repo).split('/') as [string, string];
      return {
        path: `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/keys`,
        noun: `deploy key of ${owner}/${repo}`,
        page: `https://github.com/${owner}/${repo}/settings/keys`,
        missingClassic: `admin rights on ${owner}/${repo} (the repo scope, held by a repository admin)`,
        missingAny: `admin rights on ${owner}/${repo} (a fine-grained token needs "Administration: write"; a classic one the repo scope and an admin of the repository)`,
        needed: `admin rights on ${owner}/${repo}`,
      };
    }
  }
}
