/** The `test` state module: Salt's states for exercising requisites and outputs. */
import type { StateModule } from '../contract';
import { configurableTestState } from './configurable';
import { failWithChanges, failWithoutChanges, nop, succeedWithChanges, succeedWithoutChanges } from './fixed';

/** Salt's test states that Brine implements. */
export const testModule: StateModule = {
  name: 'test',
  functions: {
    nop,
    succeed_without_changes: succeedWithoutChanges,
    fail_without_changes: failWithoutChanges,
    succeed_with_changes: succeedWithChanges,
    fail_with_changes: failWithChanges,
    configurable_test_state: configurableTestState,
  },
};
