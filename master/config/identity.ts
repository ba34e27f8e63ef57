/** The master's own key pairs: the master's (signs jobs) and the operator's (the CLI on the master host). */
import { loadOrCreateIdentity, type NodeIdentity } from '../../common/wire/keys';
import { MASTER_ID, OPERATOR_ID } from '../../common/protocol/subjects';
import type { MasterConfig } from './index';

/** The master's key pair under pki_dir (made on first use). */
export function loadMasterIdentity(cfg: Pick<MasterConfig, 'pki_dir'>): NodeIdentity {
  return loadOrCreateIdentity(cfg.pki_dir, MASTER_ID).identity;
}

/** The operator's key pair under pki_dir (made on first use): the CLI signs its commands with it. */
export function loadOperatorIdentity(cfg: Pick<MasterConfig, 'pki_dir'>): NodeIdentity {
  return loadOrCreateIdentity(cfg.pki_dir, OPERATOR_ID).identity;
}
