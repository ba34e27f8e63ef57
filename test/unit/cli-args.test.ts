/** CLI argument parsing as Salt's parse_input / yamlify_arg does it. */
import assert from 'node:assert/strict';
import { parseCliArgs, yamlifyArg } from '../../minion/exec/args';

describe('CLI arguments (Salt parse_input)', () => {
  it('splits key=value into kwargs and loads values as YAML', () => {
    assert.deepEqual(parseCliArgs(['ha.setup', 'test=True', 'pillar={"firstnode": "ctrl-1"}', 'x=5']), {
      args: ['ha.setup'],
      kwargs: { test: true, pillar: { firstnode: 'ctrl-1' }, x: 5 },
    });
  });

  it('keeps strings that YAML would change against the user\'s intent', () => {
    assert.equal(yamlifyArg('a: b'), 'a: b');
    assert.equal(yamlifyArg('1_000'), '1_000');
    assert.equal(yamlifyArg('#'), '#');
    assert.equal(yamlifyArg('|'), '|');
    assert.equal(yamlifyArg('foo # bar'), 'foo # bar');
    assert.equal(yamlifyArg('None'), null);
    assert.deepEqual(yamlifyArg('[1, 2]'), [1, 2]);
    assert.equal(yamlifyArg('- a'), '- a');
    assert.equal(yamlifyArg('0644'), 644);
  });

  it('positional words that are not identifiers stay positional', () => {
    assert.deepEqual(parseCliArgs(['echo a=b', '1=2']), { args: ['echo a=b', '1=2'], kwargs: {} });
  });
});
