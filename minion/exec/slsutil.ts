/** `slsutil.renderer`: render a file or a string through a renderer pipeline and return the data. */
import * as fs from 'node:fs';
import { FileSlsProvider } from '../../common/sls/compile';
import { renderSls } from '../../common/render/sls';
import { plain, type ExecFunction } from './contract';

const renderer: ExecFunction = (args, kwargs, minion) => {
  const path = (args[0] ?? kwargs.path) as string | undefined;
  const inputs = minion.compileInputs({ saltenv: typeof kwargs.saltenv === 'string' ? kwargs.saltenv : undefined });
  const saltenv = inputs.saltenv ?? 'base';
  const pipeline = typeof kwargs.default_renderer === 'string' ? kwargs.default_renderer : 'jinja|yaml';
  let text: string;
  let url: string;
  if (typeof kwargs.string === 'string') {
    text = kwargs.string;
    url = '<string>';
  } else if (path) {
    url = String(path);
    text = url.startsWith('salt://') ? minion.files.read(url, saltenv).toString('utf8') : fs.readFileSync(url, 'utf8');
  } else {
    return plain(['slsutil.renderer needs path=salt://... or string=...'], 1);
  }
  if (!/^#!/.test(text)) text = `#!${pipeline}\n${text}`;
  const provider = new FileSlsProvider(inputs);
  return plain(renderSls(text, { sls: 'slsutil', url, saltenv }, provider.renderer(saltenv)));
};

/** The registry of slsutil functions. */
export const slsutilFunctions = { 'slsutil.renderer': renderer };
