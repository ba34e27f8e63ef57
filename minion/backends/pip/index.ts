/**
 * The pip backend: facts (what a Python environment has) and operations (install,
 * uninstall), for the pip state module and the pip execution functions.
 */
export { pipCommand } from './command';
export { PipError } from './errors';
export { availableVersions, freezeLines, installedPackages, pipVersion, type InstalledPackage } from './facts';
export { installPackages, NOTHING_TO_INSTALL, uninstallPackages } from './operations';
export {
  envVarsOpt,
  indexOptionsOf,
  installArgs,
  installOptionsOf,
  listOpt,
  strOpt,
  truthy,
  uninstallArgs,
  uninstallOptionsOf,
  validateIndexOptions,
  type IndexOptions,
  type InstallOptions,
  type UninstallOptions,
} from './options';
export { canonicalName, parseRequirement, RequirementError, type Requirement } from './requirement';
export { firstMissingRequirements, localRequirements, missingRequirementsMessage, type LocalRequirements } from './requirements-files';
export { runPip, type PipTarget } from './run';
export { compareVersions, parseVersion, satisfiesAll, satisfiesClause, type VersionClause } from './version';
