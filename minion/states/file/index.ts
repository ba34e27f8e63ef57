/** The `file` state module: managed, directory, absent, symlink, append. */
import type { StateModule } from '../contract';
import { absent } from './absent';
import { append } from './append';
import { directory } from './directory';
import { managed } from './managed';
import { symlink } from './symlink';

/** Salt's file states that Brine implements. */
export const fileModule: StateModule = {
  name: 'file',
  functions: { managed, directory, absent, symlink, append },
};
