/**
 * The apt-sources backend: one-line apt source entries (sources.list, sources.list.d/*.list)
 * and the keys stored for them under /etc/apt/keyrings. Facts read, operations change.
 */
export { combineComments, formatSourceLine, parseSourceLine, sameUri, stripUri, withOption, type EntryFields, type SourceEntry } from './entry';
export { filesWithKey, findRepo, keyFileFingerprints, keyFileHolds, listEntries, readLines, repoView, sourceFiles, type LocatedEntry, type RepoKey, type RepoView } from './facts';
export { armor, dearmor, isArmored, keyFingerprints, keyIdMatches, KeyFormatError } from './openpgp';
export { appendLine, emptyFile, keyserverAddress, receiveKeys, refreshDb, removeLine, removeRepo, replaceLine, writeKeyFile } from './operations';
export { AptSourcesError, HOST_APT_PATHS, type AptPaths } from './paths';
