import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalFileSource } from '../../common/fileserver';
import { JinjaRenderer } from '../../common/render/jinja';

const TREE: Record<string, string> = {
  'app/map.jinja': [
    "{% import_yaml './defaults.yaml' as defaults %}",
    "{% set app = salt['grains.filter_by']({'Debian': {'pkg': 'nginx-full'}}, merge=defaults) %}",
    '{% macro greet(name) -%}',
    'hi {{ name }} on {{ grains.id }} ({{ tpldir }})',
    '{%- endmacro %}',
    '{% macro who() %}{{ caller_var }}{% endmacro %}',
    '',
  ].join('\n'),
  'app/defaults.yaml': 'port: {{ 8000 + 80 }}\nmode: 0644\nusers: [a, b]\n',
  'app/data.json': '{"k": [1, 2], "n": null}\n',
  'app/motd.txt': 'Welcome to {{ grains.id }}\n',
  'app/sub/deep.jinja': "{% from '../map.jinja' import app %}{% set port = app.port %}",
  'app/part.jinja': '[{{ who }}|{{ tpldir }}]',
  'lib/macros.jinja': '{% macro upper(s) %}{{ s|upper }}{% endmacro %}{% set version = 3 %}{% set _private = 1 %}',
  'base.jinja': 'head {% block body %}default{% endblock %} tail',
};

describe('render: tags and imports', () => {
  let dir: string;
  let r: JinjaRenderer;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-render-tags-'));
    for (const [rel, text] of Object.entries(TREE)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
    r = new JinjaRenderer(new LocalFileSource({ base: [dir] }), { pillar: {}, grains: { id: 'web-1', os_family: 'Debian' }, opts: {}, saltenv: 'base' });
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const render = (text: string, source = 'salt://app/init.sls', ctx = {}): string => r.render(text, source, ctx);

  it('runs {% do %} for its side effects only', () => {
    assert.equal(render("{% set l = [] %}{% do l.append(1) %}{% do l.extend([2, 3]) %}{{ l }}"), '[1, 2, 3]');
  });

  it('import_yaml renders the file as a template, then loads it as Salt YAML', () => {
    assert.equal(render("{% import_yaml 'app/defaults.yaml' as d %}{{ d.port }} {{ d.mode }} {{ d.users }}"), "8080 644 ['a', 'b']");
  });

  it('import_json and import_text', () => {
    assert.equal(render("{% import_json 'app/data.json' as j %}{{ j.k }} {{ j.n }}|{% import_text 'app/motd.txt' as t %}[{{ t }}]"), '[1, 2] None|[Welcome to web-1]');
  });

  it('load_yaml, load_json and load_text blocks', () => {
    const t = "{% load_yaml as y %}\na: {{ 1 + 1 }}\nb: [x, yes]\n{% endload %}{% load_json as j %}{\"k\": true}{% endload %}{% load_text as s %}  txt {% endload %}{{ y }} {{ j }} [{{ s }}]";
    assert.equal(render(t), "{'a': 2, 'b': ['x', True]} {'k': True} [  txt ]");
  });

  it('from ... import resolves ./ paths from the importing template and sees grains', () => {
    assert.equal(render("{% from './map.jinja' import app, greet %}{{ app.pkg }} {{ app.port }} {{ greet('bob') }}"), 'nginx-full 8080 hi bob on web-1 (app)');
  });

  it('resolves ../ paths from nested templates', () => {
    assert.equal(render("{% from 'app/sub/deep.jinja' import port %}{{ port }}", 'salt://other/init.sls'), '8080');
  });

  it('import ... as exposes macros and top-level variables, not _private ones', () => {
    assert.equal(render("{% import 'lib/macros.jinja' as m %}{{ m.upper('x') }} {{ m.version }} {{ m._private is defined }}"), 'X 3 False');
  });

  it("from ... import ... with context lets macros see the caller's variables", () => {
    assert.equal(render("{% set caller_var = 'mine' %}{% from 'app/map.jinja' import who with context %}[{{ who() }}]"), '[mine]');
  });

  it('an import with context does not overwrite the importer variables', () => {
    assert.equal(render("{% set version = 'mine' %}{% import 'lib/macros.jinja' as m with context %}{{ version }} {{ m.version }}"), 'mine 3');
  });

  it('without context, an imported template cannot see the caller variables', () => {
    assert.throws(() => render("{% set caller_var = 'mine' %}{% from 'app/map.jinja' import who %}{{ who() }}"), /Jinja variable 'caller_var' is undefined/);
  });

  it('include passes the context', () => {
    assert.equal(render("{% set who = 'me' %}{% include 'app/part.jinja' %}"), '[me|app]');
  });

  it('include ignore missing renders nothing for a missing file', () => {
    assert.equal(render("a{% include 'nope.jinja' ignore missing %}b"), 'ab');
  });

  it('extends and blocks', () => {
    assert.equal(render("{% extends 'base.jinja' %}{% block body %}mine{% endblock %}"), 'head mine tail');
  });

  it('refuses relative paths that leave salt://', () => {
    assert.throws(() => render("{% import '../../x.jinja' as x %}"), /attempts to ascend outside of salt:\/\//);
  });

  it('reports a missing import with the importing file and line', () => {
    assert.throws(
      () => render("line1\n{% from 'nope/map.jinja' import x %}"),
      (e: Error & { site?: { file?: string; line?: number } }) => {
        assert.equal(e.site?.file, 'salt://app/init.sls');
        assert.equal(e.site?.line, 2);
        assert.match(e.message, /Template 'nope\/map\.jinja' not found/);
        return true;
      },
    );
  });

  it('refuses using an imported name the template does not export', () => {
    assert.equal(render("{% from 'lib/macros.jinja' import nothing %}ok"), 'ok');
    assert.throws(() => render("{% from 'lib/macros.jinja' import nothing %}{{ nothing }}"), /Jinja variable the template 'lib\/macros\.jinja' does not export the requested name 'nothing'/);
  });

  it('does not know Nunjucks-only tags', () => {
    assert.throws(() => render('{% switch x %}{% endswitch %}'), /Jinja syntax error: Encountered unknown tag 'switch'/);
  });

  it('keeps raw blocks verbatim', () => {
    assert.equal(render('{% raw %}{{ not rendered }}{% endraw %}'), '{{ not rendered }}');
  });

  it('applies filter blocks', () => {
    assert.equal(render('{% filter upper %}abc{{ 1 }}{% endfilter %}'), 'ABC1');
  });

  it('lets }} appear inside brackets in expressions', () => {
    assert.equal(render("{{ {'a': {'b': 1}}['a'] }} {{ [{'x': 1}] }}"), "{'b': 1} [{'x': 1}]");
  });
});
