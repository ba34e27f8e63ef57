/** Where apt's source lists and operator keyrings live, and how apt-get is pointed at them. */

/** The files and directories the apt-sources backend reads and writes. */
export interface AptPaths {
  /** apt's main list (Dir::Etc::sourcelist). */
  readonly sourceList: string;
  /** apt's list directory (Dir::Etc::sourceparts); apt reads its `*.list` files. */
  readonly sourceParts: string;
  /** Where keys the operator manages are stored (apt's recommended /etc/apt/keyrings). */
  readonly keyrings: string;
  /** Extra `-o Name=value` options for apt-get, to run apt over other directories (tests). */
  readonly aptOptions: readonly string[];
}

/** This host's apt configuration. */
export const HOST_APT_PATHS: AptPaths = {
  sourceList: '/etc/apt/sources.list',
  sourceParts: '/etc/apt/sources.list.d',
  keyrings: '/etc/apt/keyrings',
  aptOptions: [],
};

/** An error Salt raises from aptpkg (CommandExecutionError); its message becomes the state comment. */
export class AptSourcesError extends Error {}
