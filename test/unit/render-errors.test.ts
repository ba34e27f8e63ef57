import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BrineError, TemplateError, YamlError } from '../../common/errors';
import { LocalFileSource } from '../../common/fileserver';
import { JinjaRenderer } from '../../common/render/jinja';
import { renderSls } from '../../common/render/sls';

describe('render: StrictUndefined and errors', () => {
  let dir: string;
  let r: JinjaRenderer;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-render-err-'));
    fs.mkdirSync(path.join(dir, 'app'));
    fs.writeFileSync(path.join(dir, 'app/map.jinja'), "{% macro port() %}\n{{ pillar['app']['nope'] }}\n{% endmacro %}\n");
    fs.writeFileSync(path.join(dir, 'app/broken.jinja'), 'ok\n{% if %}\n');
    fs.writeFileSync(path.join(dir, 'app/bad.yaml'), 'a: 1\na: 2\n');
    r = new JinjaRenderer(new LocalFileSource({ base: [dir] }), { pillar: { app: { port: 80 } }, grains: {}, opts: {}, saltenv: 'base' });
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function failure(text: string, source = 'salt://app/init.sls'): BrineError {
    try {
      r.render(text, source);
    } catch (e) {
      assert.ok(e instanceof BrineError, `expected a BrineError, got ${String(e)}`);
      return e;
    }
    return assert.fail('expected the render to fail');
  }

  describe('StrictUndefined', () => {
    it('refuses to print an undefined variable', () => {
      const e = failure('a\n{{ nope }}\n');
      assert.ok(e instanceof TemplateError);
      assert.equal(e.message, "Jinja variable 'nope' is undefined\n    {{ nope }}    <======================");
      assert.equal(e.site.file, 'salt://app/init.sls');
      assert.equal(e.site.line, 2);
    });

    it('refuses a missing pillar key, naming file, line, expression and state ID', () => {
      const e = failure("{% set x = 1 %}\nnginx:\n  pkg.installed:\n    - name: {{ pillar['nope']['x'] }}\n");
      assert.equal(e.message, "Jinja variable 'dict object' has no attribute 'nope'\n    - name: {{ pillar['nope']['x'] }}    <======================");
      assert.deepEqual(e.site, { file: 'salt://app/init.sls', line: 4, stateId: 'nginx' });
      assert.equal(
        e.describe(),
        "salt://app/init.sls, line 4, state 'nginx': Jinja variable 'dict object' has no attribute 'nope'\n    - name: {{ pillar['nope']['x'] }}    <======================",
      );
    });

    it('refuses to iterate, test the truth of, or compare an undefined value', () => {
      assert.match(failure('{% for x in nope %}{% endfor %}').message, /'nope' is undefined/);
      assert.match(failure('{% if nope %}{% endif %}').message, /'nope' is undefined/);
      assert.match(failure('{{ nope == 1 }}').message, /'nope' is undefined/);
      assert.match(failure('{{ nope.attr }}').message, /'nope' is undefined/);
      assert.match(failure('{{ nope | upper }}').message, /'nope' is undefined/);
    });

    it('lets `is defined`, `default` and `int` handle undefined values', () => {
      assert.equal(r.render("{{ nope is defined }} {{ nope | default('d') }} {{ pillar.x | default(1) }} {{ nope | int }}", 'salt://t.sls'), 'False d 1 0');
    });

    it("treats an inline if without else as Jinja's plain Undefined when false (prints nothing)", () => {
      assert.equal(r.render("{{ 'a' if true }}|{{ 'a' if false }}|{{ ('a' if false)|length }}", 'salt://t.sls'), 'a||0');
      assert.match(failure("{{ ('a' if false).x }}").message, /the inline if-expression on line 1 evaluated to false and no else section was defined/);
    });

    it('refuses to call an undefined function', () => {
      assert.match(failure('{{ nope() }}').message, /Jinja variable 'nope' is undefined/);
    });
  });

  describe('syntax errors', () => {
    it('reports an unclosed block with file and line', () => {
      const e = failure('line1\n{% if true %}\nx\n');
      assert.match(e.message, /^Jinja syntax error: Unexpected end of template\. Jinja was looking for the following tags: 'elif' or 'else' or 'endif'\. The innermost block that needs to be closed is 'if'\./);
      assert.equal(e.site.file, 'salt://app/init.sls');
      assert.equal(e.site.line, 3);
      assert.match(failure('{% for x in y %}').message, /looking for the following tags: 'endfor' or 'else'\. The innermost block that needs to be closed is 'for'\./);
    });

    it('reports an unknown filter at compile time', () => {
      const e = failure('a\n{{ 1 | nofilter }}');
      assert.equal(e.message, "Jinja syntax error: No filter named 'nofilter'.\n    {{ 1 | nofilter }}    <======================");
      assert.equal(e.site.line, 2);
    });

    it('reports an unknown test at compile time', () => {
      assert.match(failure('{{ 1 is notatest }}').message, /^Jinja syntax error: No test named 'notatest'\.\n/);
    });

    it('reports syntax errors inside imported files against that file', () => {
      const e = failure("x\n{% import 'app/broken.jinja' as b %}");
      assert.match(e.message, /Jinja syntax error/);
      assert.equal(e.site.file, 'salt://app/broken.jinja');
      assert.equal(e.site.line, 2);
      assert.match(e.message, /from salt:\/\/app\/init\.sls, line 2/);
    });

    it('never shows a raw Nunjucks stack or path marker', () => {
      const e = failure('{% for %}');
      assert.doesNotMatch(e.message, /unknown path|Template render error|at Object/);
    });
  });

  describe('errors in other templates', () => {
    it('locates an error inside an imported macro in that file, with the state of the SLS', () => {
      const e = failure("{% from 'app/map.jinja' import port %}\nweb:\n  service.running:\n    - port: {{ port() }}\n");
      assert.equal(e.message, "Jinja variable 'dict object' has no attribute 'nope' (from salt://app/init.sls, line 4)");
      assert.deepEqual(e.site, { file: 'salt://app/map.jinja', line: 2, stateId: 'web' });
    });

    it('locates errors after an import in the importing template, not the imported one', () => {
      const e = failure("{% from 'app/map.jinja' import port %}\n{{ nope }}\n");
      assert.equal(e.site.file, 'salt://app/init.sls');
      assert.equal(e.site.line, 2);
      assert.equal(e.message, "Jinja variable 'nope' is undefined\n    {{ nope }}    <======================");
    });

    it('reports YAML errors of import_yaml as YamlError naming the YAML file', () => {
      const e = failure("{% import_yaml 'app/bad.yaml' as d %}");
      assert.ok(e instanceof YamlError);
      assert.equal(e.site.file, 'salt://app/bad.yaml');
      assert.equal(e.site.line, 2);
      assert.match(e.message, /conflicting ID 'a'/);
    });

    it('wraps errors of the raise() global like Salt', () => {
      assert.match(failure("{{ raise('custom failure') }}").message, /^Jinja error: custom failure\n/);
    });
  });

  describe('SLS YAML errors', () => {
    it('names the SLS, the line of the rendered text and the state ID of a duplicate', () => {
      try {
        renderSls('nginx:\n  pkg.installed: []\n{% for i in [1] %}\nnginx:\n  service.running: []\n{% endfor %}\n', { sls: 'app', url: 'salt://app/init.sls', saltenv: 'base' }, r);
        assert.fail('expected a YamlError');
      } catch (e) {
        assert.ok(e instanceof YamlError);
        assert.equal(e.site.file, 'salt://app/init.sls');
        assert.equal(e.site.line, 4);
        assert.equal(e.site.stateId, 'nginx');
        assert.match(e.message, /^found conflicting ID 'nginx' \(first defined on line 1\) \(line 4 of the rendered SLS\)\n {4}nginx:/);
      }
    });

    it('reports YAML syntax errors with the offending rendered line', () => {
      try {
        renderSls("web:\n  file.managed:\n    - name: {{ 'a: b' }}: c\n", { sls: 'app', url: 'salt://app/init.sls', saltenv: 'base' }, r);
        assert.fail('expected a YamlError');
      } catch (e) {
        assert.ok(e instanceof YamlError);
        assert.equal(e.site.line, 3);
        assert.equal(e.site.stateId, 'web');
      }
    });
  });
});
