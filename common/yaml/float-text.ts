/** PyYAML's text for a float scalar, shared by the YAML dumper and Salt's yaml_encode filter. */
import { pyFloatRepr } from '../python/number';

/** PyYAML's `represent_float`: Python's repr in lower case, `.0` before a bare exponent, `.inf`/`.nan`. */
export function yamlFloatText(x: number): string {
  if (Number.isNaN(x)) return '.nan';
  if (x === Infinity) return '.inf';
  if (x === -Infinity) return '-.inf';
  const repr = pyFloatRepr(x).toLowerCase();
  return !repr.includes('.') && repr.includes('e') ? repr.replace('e', '.0e') : repr;
}
