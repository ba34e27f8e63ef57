/** The `pip` state module: installed and removed, over the pip backend. */
import type { StateModule } from '../contract';
import { installed } from './installed';
import { removed } from './removed';

/** Salt's pip states that Brine implements. */
export const pipModule: StateModule = {
  name: 'pip',
  functions: { installed, removed },
};
