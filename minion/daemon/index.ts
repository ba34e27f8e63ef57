/** The minion daemon (`brine minion`) and its parts. */
export { MinionDaemon, SHUTDOWN_GRACE_MS, RESTART_EVENT_AFTER_MS, type MinionDaemonOptions } from './daemon';
export { MasterKeyPin, MASTER_PUB_FILE, type MasterKeyVerdict } from './master-key';
export { authenticateOnce, AUTH_REQUEST_TTL_MS, type AuthContext, type AuthOutcome } from './auth';
export { waitForAcceptance, REJECTED_WAIT_FACTOR, type AcceptanceOptions } from './acceptance';
export { openJob, describeRefusal, type AcceptedJob, type RefusedJob, type JobIntakeKeys } from './job-intake';
export { executeJob, type ExecutorContext, type JobProgress } from './job-executor';
export { JobReporter, MIN_PROGRESS_INTERVAL_MS } from './job-reporter';
export { MasterSender, STORED_MESSAGE_TTL_MS, type MasterSenderOptions } from './master-sender';
export { StateRuns, isStateJob, truthyFlag } from './state-runs';
