/** The master's view of its minions for targeting: which known minions a target selects. */
export { resolveTargets, type RegistryMinion, type ResolveOptions, type TargetResolution } from './resolve';
