/**
 * The CLI's requests (brine.master.cmd, request/reply): only from the operator key, sealed for
 * the master, never replayed; the answer is sealed for the operator.
 */
import type { Logger } from '../../common/log';
import { parseMasterCommand, type MasterCommandReply } from '../../common/protocol/messages';
import { MASTER_ID, OPERATOR_ID } from '../../common/protocol/subjects';
import { createEnvelope } from '../../common/wire/envelope';
import type { NodeIdentity, PublicKeys } from '../../common/wire/keys';
import type { ReplayGuard } from '../../common/wire/replay';
import type { OrchestrationRunner } from '../orch/orch-runner';
import type { JobDispatcher } from './dispatcher';
import type { EventPublisher } from './event-publisher';
import { reportRejected } from './rejections';
import { openFrom } from './trusted-open';

const REPLY_TTL_MS = 60_000;

/** What the command handler works with. */
export interface CommandDeps {
  master: NodeIdentity;
  operator: PublicKeys;
  replay: ReplayGuard;
  dispatcher: JobDispatcher;
  orchestrations: OrchestrationRunner;
  events: EventPublisher;
  version: string;
  log: Logger;
}

/** Answer one CLI request; undefined when it is refused (forged, replayed, malformed). */
export async function handleCommand(deps: CommandDeps, bytes: Uint8Array): Promise<Uint8Array | undefined> {
  let reply: MasterCommandReply;
  let cmd;
  try {
    const opened = openFrom(bytes, 'cmd', OPERATOR_ID, deps.operator, deps.master, deps.replay);
    cmd = parseMasterCommand(opened.payload);
  } catch (e) {
    reportRejected(deps.log, deps.events, 'command', e);
    return undefined;
  }
  try {
    if (cmd.op === 'ping') reply = { ok: true, op: 'ping', version: deps.version, minions: deps.dispatcher.registry().length };
    else if (cmd.op === 'orch') {
      const started = deps.orchestrations.start(cmd.name, cmd.pillar, cmd.test, cmd.user);
      reply = started.ok ? { ok: true, op: 'orch', jid: started.jid, resumed: false } : started;
    } else if (cmd.op === 'orch-resume') {
      const resumed = deps.orchestrations.resume(cmd.jid);
      reply = resumed.ok ? { ok: true, op: 'orch', jid: resumed.jid, resumed: resumed.resumed } : resumed;
    } else reply = await deps.dispatcher.publish(cmd);
  } catch (e) {
    deps.log.error(`Command ${cmd.op} failed: ${(e as Error).message}`);
    reply = { ok: false, error: (e as Error).message };
  }
  return createEnvelope({ kind: 'cmd', from: MASTER_ID, to: OPERATOR_ID, ttlMs: REPLY_TTL_MS, payload: reply, signer: deps.master.privateKeys, recipient: deps.operator });
}
