/** What a pip install changed, in Salt's shape (`{"name==1.0": "Installed"}`). */
import type { Dict } from '../../../common/types';
import { canonicalName, type InstalledPackage, type Requirement } from '../../backends/pip';
import { findInstalled } from './satisfied';

/**
 * The canonical names pip reports on its "Successfully installed a-1.0 b-2.0" line.
 * Example: successfullyInstalled('...\nSuccessfully installed brinetiny-2.0') -> Set {'brinetiny'}
 */
export function successfullyInstalled(stdout: string): Set<string> {
  const names = new Set<string>();
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('Successfully installed ')) continue;
    for (const token of line.slice('Successfully installed '.length).trim().split(/\s+/)) {
      const dash = token.lastIndexOf('-');
      if (dash > 0) names.add(canonicalName(token.slice(0, dash)));
    }
  }
  return names;
}

/**
 * Salt's changes of pip.installed: `{"<prefix>==<version>": "Installed"}` for each requested
 * package pip installed or changed, `{"<url>==???": "Installed"}` for unnamed ones, and
 * Salt's comment for a package that is still not listed afterwards.
 */
export function installedChanges(
  requested: Requirement[],
  before: InstalledPackage[],
  after: InstalledPackage[],
  stdout: string,
): { changes: Dict; notFound: string[] } {
  const changes: Dict = {};
  const notFound: string[] = [];
  const reported = successfullyInstalled(stdout);
  for (const req of requested) {
    if (!req.prefix) {
      changes[`${req.text}==???`] = 'Installed';
      continue;
    }
    const now = findInstalled(after, req.prefix);
    if (!now) {
      notFound.push(`There was no error installing package '${req.text}' although it does not show when calling 'pip.freeze'.`);
      continue;
    }
    const was = findInstalled(before, req.prefix);
    if (!was || was.version !== now.version || reported.has(canonicalName(req.prefix))) {
      changes[`${req.prefix}==${now.version}`] = 'Installed';
    }
  }
  return { changes, notFound };
}
