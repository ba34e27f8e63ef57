import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalFileSource } from '../../common/fileserver';
import { JinjaRenderer } from '../../common/render/jinja';

describe('render: repeated renders (sanity, not timed)', () => {
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-render-perf-'));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('renders the same small template 1000 times with different contexts', () => {
    const files = new LocalFileSource({ base: [dir] });
    const r = new JinjaRenderer(files, { pillar: { port: 80 }, grains: { id: 'web' }, opts: {}, saltenv: 'base' });
    const template = "{% for u in users %}{{ u }}-{{ pillar['port'] + loop.index }}{% if not loop.last %},{% endif %}{% endfor %} on {{ grains.id }} #{{ n }}\n";
    const outputs: string[] = [];
    const started = process.hrtime.bigint();
    for (let n = 0; n < 1000; n++) outputs.push(r.render(template, 'salt://perf.sls', { users: ['a', 'b'], n }));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.equal(outputs[0], 'a-81,b-82 on web #0\n');
    assert.equal(outputs[999], 'a-81,b-82 on web #999\n');
    // Informational only: the brief asks for well under 100 ms on a 2-core machine.
    console.log(`      1000 renders: ${ms.toFixed(1)} ms`);
  });
});
