import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalFileSource } from '../../common/fileserver';
import { JinjaRenderer, type RenderGlobals } from '../../common/render/jinja';
import { splitCallArgs } from '../../common/render/call-args';

describe('render: context and salt functions', () => {
  let dir: string;
  let files: LocalFileSource;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-render-ctx-'));
    files = new LocalFileSource({ base: [dir] });
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function renderer(extra: Partial<RenderGlobals> = {}): JinjaRenderer {
    return new JinjaRenderer(files, {
      pillar: { app: { port: 8080, users: ['a', 'b'], nested: { deep: 'yes' } }, master: { only_master: 'm' }, list: [{ name: 'x' }, { name: 'y' }] },
      grains: { id: 'ctrl-1', os_family: 'Debian', os: 'Debian', roles: ['db', 'web'], ip4: ['10.0.0.1'] },
      opts: { id: 'ctrl-1', file_client: 'local', shared: 'from-opts' },
      saltenv: 'base',
      ...extra,
    });
  }

  function render(text: string, context = {}, extra: Partial<RenderGlobals> = {}): string {
    return renderer(extra).render(text, 'salt://t/init.sls', context);
  }

  it('exposes pillar, grains, opts and saltenv', () => {
    assert.equal(render("{{ pillar['app']['port'] }} {{ grains.id }} {{ opts['file_client'] }} {{ saltenv }}"), '8080 ctrl-1 local base');
  });

  it("salt['pillar.get'] walks colon paths and lists, with Salt's '' default", () => {
    assert.equal(render("{{ salt['pillar.get']('app:port') }}|{{ salt['pillar.get']('app:users:1') }}|{{ salt['pillar.get']('list:name') }}|{{ salt['pillar.get']('nope') }}|"), '8080|b|x||');
  });

  it("salt['pillar.get'] takes a default, a delimiter and keyword arguments", () => {
    assert.equal(render("{{ salt['pillar.get']('nope:x', 'dflt') }} {{ salt['pillar.get']('app/port', delimiter='/') }} {{ salt['pillar.get'](key='app:nested:deep', default='n') }}"), 'dflt 8080 yes');
  });

  it("salt['pillar.get'] with merge=True merges the default under the pillar value", () => {
    assert.equal(render("{{ salt['pillar.get']('app', {'port': 1, 'extra': 2}, merge=True) }}"), "{'port': 8080, 'extra': 2, 'users': ['a', 'b'], 'nested': {'deep': 'yes'}}");
  });

  it("salt['grains.get'] and salt.grains.get (attribute style)", () => {
    assert.equal(render("{{ salt['grains.get']('roles:0') }} {{ salt.grains.get('os', 'x') }} {{ salt['grains.get']('nope', 'fallback') }}"), 'db Debian fallback');
  });

  it("salt['config.get'] looks in opts, then grains, then pillar, then pillar['master']", () => {
    assert.equal(render("{{ salt['config.get']('shared') }} {{ salt['config.get']('os') }} {{ salt['config.get']('app:port') }} {{ salt['config.get']('only_master') }} {{ salt['config.get']('none', 'd') }}"), 'from-opts Debian 8080 m d');
  });

  it("grains.filter_by picks by os_family, then 'default'", () => {
    const t = "{{ salt['grains.filter_by']({'Debian': {'pkg': 'apache2'}, 'RedHat': {'pkg': 'httpd'}}).pkg }} {{ salt['grains.filter_by']({'RedHat': 'r', 'default': 'd'}) }}";
    assert.equal(render(t), 'apache2 d');
  });

  it('grains.filter_by matches globs, list grains, other grains, and merges base and merge', () => {
    const t = [
      "{{ salt['grains.filter_by']({'ctrl-*': 'glob', 'default': 'd'}, grain='id') }}",
      "{{ salt['grains.filter_by']({'web': 'w', 'db': 'first'}, grain='roles') }}",
      "{{ salt['grains.filter_by']({'Debian': {'b': 2}, 'common': {'a': 1, 'b': 1}}, base='common', merge={'c': 3}) }}",
      "{{ salt['grains.filter_by']({'x': 1}, grain='nope', default='zzz') }}",
    ].join('|');
    assert.equal(render(t), "glob|first|{'a': 1, 'b': 2, 'c': 3}|None");
  });

  it('grains.filter_by refuses a non-dict merge, as Salt does', () => {
    assert.throws(() => render("{{ salt['grains.filter_by']({'Debian': {}}, merge='x') }}"), /Problem running salt function in Jinja template: filter_by merge argument must be a dictionary\./);
  });

  it("pillar.get / grains.get methods walk colon paths (and are dict.get otherwise)", () => {
    assert.equal(render("{{ pillar.get('app:nested:deep') }} {{ pillar.get('app:none', 'd') }} {{ grains.get('os') }} {{ pillar.get('nope') }} {{ pillar.app.get('port') }}"), 'yes d Debian None 8080');
  });

  it('passes keyword arguments to caller-supplied execution modules', () => {
    const seen: unknown[] = [];
    const functions = {
      'cmd.run': (...args: unknown[]) => {
        const { args: pos, kwargs } = splitCallArgs(args);
        seen.push(pos, kwargs);
        return 'out';
      },
    };
    assert.equal(render("{{ salt['cmd.run']('echo hi', python_shell=True) }} {{ salt.cmd.run('x') }}", {}, { functions }), 'out out');
    assert.deepEqual(seen, [['echo hi'], { python_shell: true }, ['x'], {}]);
  });

  it('reports a missing salt function as Salt words it', () => {
    assert.throws(() => render("{{ salt['nope.fun']() }}"), /'salt\.loader\.lazy\.LazyLoader object' has no attribute 'nope\.fun'/);
  });

  it('adds the caller context over the globals', () => {
    assert.equal(render('{{ name }} {{ pillar }}', { name: 'n', pillar: 'overridden' }), 'n overridden');
  });

  it('prints pillar data containing template syntax verbatim, never rendering it', () => {
    const r = new JinjaRenderer(files, { pillar: { evil: "{{ salt['cmd.run']('id') }} {% raise %}" }, grains: { g: '{{ 7 * 7 }}' }, opts: {}, saltenv: 'base' });
    assert.equal(r.render("{{ pillar['evil'] }} {{ grains.g }}", 'salt://t.sls'), "{{ salt['cmd.run']('id') }} {% raise %} {{ 7 * 7 }}");
  });
});
