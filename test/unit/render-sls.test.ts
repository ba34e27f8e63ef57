import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TemplateError } from '../../common/errors';
import { LocalFileSource } from '../../common/fileserver';
import { JinjaRenderer } from '../../common/render/jinja';
import { renderPipeline, renderSls, slsContext } from '../../common/render/sls';

describe('render: SLS files', () => {
  let dir: string;
  let r: JinjaRenderer;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-render-sls-'));
    fs.mkdirSync(path.join(dir, 'nginx'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'nginx/map.jinja'), "{% set nginx = {'pkg': 'nginx'} %}");
    r = new JinjaRenderer(new LocalFileSource({ base: [dir] }), { pillar: { port: 80 }, grains: { id: 'web-1' }, opts: {}, saltenv: 'base' });
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const sls = (text: string, name = 'nginx.conf', url = 'salt://nginx/conf.sls'): unknown => renderSls(text, { sls: name, url, saltenv: 'base' }, r);

  it('renders Jinja then loads YAML by default', () => {
    assert.deepEqual(sls("nginx:\n  pkg.installed:\n    - port: {{ pillar['port'] }}\n    - mode: 0644\n"), { nginx: { 'pkg.installed': [{ port: 80 }, { mode: 644 }] } });
  });

  it('keeps state IDs in declaration order', () => {
    assert.deepEqual(Object.keys(sls('zz:\n  test.nop: []\naa:\n  test.nop: []\nmm:\n  test.nop: []\n') as object), ['zz', 'aa', 'mm']);
  });

  it('gives the SLS context variables of generate_sls_context', () => {
    const t = '{{ sls }}|{{ slspath }}|{{ sls_path }}|{{ slsdotpath }}|{{ slscolonpath }}|{{ tplfile }}|{{ tpldir }}|{{ tpldot }}|{{ tplpath }}|{{ saltenv }}';
    assert.deepEqual(sls(`x: "${t}"`, 'nginx.conf', 'salt://nginx/conf.sls'), { x: 'nginx.conf|nginx|nginx|nginx|nginx|nginx/conf.sls|nginx|nginx|salt://nginx/conf.sls|base' });
    assert.deepEqual(slsContext('a.b', 'salt://a/b/init.sls'), {
      tplpath: 'salt://a/b/init.sls',
      tplfile: 'a/b/init.sls',
      tpldir: 'a/b',
      tpldot: 'a.b',
      slspath: 'a/b',
      slsdotpath: 'a.b',
      slscolonpath: 'a:b',
      sls_path: 'a_b',
    });
    assert.equal(slsContext('top', 'salt://top.sls').tpldir, '.');
    assert.equal(slsContext('top', 'salt://top.sls').slspath, '');
  });

  it('resolves relative imports from the SLS location', () => {
    assert.deepEqual(sls("{% from './map.jinja' import nginx %}\nnginx:\n  pkg.installed:\n    - name: {{ nginx.pkg }}\n"), { nginx: { 'pkg.installed': [{ name: 'nginx' }] } });
  });

  it('turns an empty rendering into {}', () => {
    assert.deepEqual(sls('{# nothing #}\n'), {});
    assert.deepEqual(sls('{% if false %}\nx: 1\n{% endif %}\n'), {});
  });

  it('honours #!yaml (no Jinja) and #!jinja|yaml shebangs', () => {
    assert.deepEqual(sls("#!yaml\nx: '{{ not rendered }}'\n"), { x: '{{ not rendered }}' });
    assert.deepEqual(sls('#!jinja|yaml\nx: {{ 1 + 1 }}\n'), { x: 2 });
    assert.deepEqual(renderPipeline('#!jinja | yaml strict\n', 'salt://x.sls'), ['jinja', 'yaml']);
    assert.deepEqual(renderPipeline('#!/bin/sh\n', 'salt://x.sls'), ['jinja', 'yaml']);
  });

  it('refuses renderers Brine does not have, and yaml before jinja', () => {
    assert.throws(() => sls('#!py\ndef run(): return {}\n'), (e: Error) => e instanceof TemplateError && /Renderer 'py' is not available/.test(e.message));
    assert.throws(() => sls('#!yaml|jinja\nx: 1\n'), /jinja needs text, but yaml produces data/);
  });

  it('renders the jinja-only pipeline to text', () => {
    assert.equal(sls('#!jinja\n{{ 1 + 1 }}'), '#!jinja\n2');
  });
});
