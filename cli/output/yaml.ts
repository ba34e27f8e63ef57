/**
 * Salt's `yaml` outputter: `salt.utils.yaml.safe_dump(data, default_flow_style=False)` — block
 * style, keys sorted, `- ` items at their key's indentation — right-stripped as printed.
 */
import { dumpYaml } from '../../common/yaml/dump';
import type { OutputIndent } from './options';
import { pyRstrip } from './python-text';

/**
 * Salt's yaml outputter (`--out yaml`). With `outputIndent` >= 0 that indentation is used (libyaml
 * keeps 2 outside 2..9); below 0 the data is written in flow style. Salt's outputter fails on
 * `null` or `'pretty'` (it compares them with 0) and then prints nothing, so this returns ''.
 */
export function formatYaml(data: unknown, outputIndent?: OutputIndent): string {
  if (outputIndent === undefined) return pyRstrip(dumpYaml(data, { flowStyle: false }));
  if (outputIndent === null || outputIndent === 'pretty') return '';
  if (outputIndent >= 0) return pyRstrip(dumpYaml(data, { flowStyle: false, indent: outputIndent }));
  return pyRstrip(dumpYaml(data, { flowStyle: true, indent: 0 }));
}
