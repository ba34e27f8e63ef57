/**
 * Attack suite, templates (Salt's CVE-2021-25283, server-side template injection): grain and
 * pillar values holding template syntax are data, never rendered again; templates reaching for
 * JavaScript (`constructor`, `__proto__`, `range.constructor('return process')()`) or Python
 * internals (`cycler.__init__.__globals__`) get a TemplateError or inert text — no code runs,
 * no prototype is polluted, no environment variable leaks — and no template input brings the
 * whole process down.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalFileSource } from '../../common/fileserver';
import { TemplateError } from '../../common/errors';
import { JinjaRenderer } from '../../common/render/jinja';
import { renderSls } from '../../common/render/sls';
import { loadSaltYaml } from '../../common/yaml/load';
import { BRINE } from '../helpers/fleet';

/** Grain and pillar values that look like templates. */
const TEMPLATE_DATA: readonly string[] = [
  '{{ 7*7 }}',
  '{% raw %}x{% endraw %}',
  "{{ salt['cmd.run']('touch MARKER') }}",
  "{% set x = range.constructor('return process')() %}{{ x.pid }}",
  '{# comment #}',
  '{%- if true %}yes{% endif -%}',
  '${7*7} #{7*7} <%= 7*7 %>',
];

/** Template code that tries to reach JavaScript or Python internals (each must be a TemplateError); MARKER and ENVNAME are replaced. */
const ESCAPES: readonly string[] = [
  "{{ range.constructor('return process')() }}",
  "{{ range.constructor(\"require('fs').writeFileSync('MARKER', 'x')\")() }}",
  "{{ range.constructor.constructor('return process.env.ENVNAME')() }}",
  "{{ ''.constructor.constructor('return process')() }}",
  "{{ [].constructor.constructor('return process')() }}",
  "{{ {}.constructor.constructor('return process')() }}",
  "{{ (1).constructor.constructor('return process')() }}",
  "{{ pillar.constructor.constructor('return process')() }}",
  "{{ salt.constructor.constructor('return process')() }}",
  "{{ salt['pillar.get'].constructor('return process')() }}",
  "{{ namespace.constructor('return process')() }}",
  "{{ cycler.__init__.__globals__ }}",
  "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
  "{{ joiner.__init__.__globals__ }}",
  "{{ lipsum.__globals__['os'].popen('touch MARKER') }}",
  "{{ ''.__class__.__mro__[1].__subclasses__() }}",
  "{{ self.__init__.__globals__ }}",
  "{{ request.application.__globals__ }}",
  "{{ config.items() }}",
  "{{ pillar.__proto__ }}",
  "{{ pillar['__proto__'] }}",
  "{{ grains.__proto__.constructor }}",
  "{{ range|attr('constructor') }}",
  "{{ (range|attr('constructor'))('return process')() }}",
  "{{ [range]|map(attribute='constructor')|first }}",
  "{{ ([range]|map(attribute='constructor')|first)('return process')() }}",
  "{{ '{0.constructor}'.format(range) }}",
  "{{ '{0.__class__}'.format('') }}",
  "{{ '%s'|format(range.constructor) }}",
  "{{ range.call(none, 'x') }}",
  "{{ range.apply(none, ['x']) }}",
  "{{ range.bind }}",
  "{{ ''.split.constructor('return process')() }}",
  "{% set f = range %}{{ f['constructor']('return process')() }}",
  "{% set d = {} %}{% do d.update({'__proto__': {'polluted': 'yes'}}) %}{{ {}.polluted }}",
  "{% set d = dict(__proto__={'polluted': 'yes'}) %}{{ {}.polluted }}",
  "{% do pillar.update({'__proto__': {'polluted': 'yes'}}) %}{{ {}.polluted }}",
  "{% do pillar.setdefault('__proto__', {'polluted': 'yes'}) %}{{ {}.polluted }}",
  "{% set ns = namespace() %}{% set ns.__proto__ = {'polluted': 'yes'} %}{{ {}.polluted }}",
  "{{ salt['defaults.merge']({}, {'__proto__': {'polluted': 'yes'}}) }}{{ {}.polluted }}",
  "{% macro m() %}{% endmacro %}{{ m.constructor('return process')() }}",
  "{% for x in [1] %}{{ loop.constructor('return process')() }}{% endfor %}",
  "{{ process }}{{ require }}{{ globalThis }}{{ global }}{{ module }}{{ __dirname }}",
];

/** Text aimed at the template compiler's generated JavaScript: rendered as the text it is. */
const CODE_STRINGS: ReadonlyArray<[string, string]> = [
  ['{{ "\\"); globalThis.brinePwned = 1; //" }}', '"); globalThis.brinePwned = 1; //'],
  ["{{ '\\'); globalThis.brinePwned = 1; //' }}", "'); globalThis.brinePwned = 1; //"],
  ['{{ "`${globalThis.brinePwned = 1}`" }}', '`${globalThis.brinePwned = 1}`'],
  ['{{ "\u2028\u2029</script>" }}', '\u2028\u2029</script>'],
  ['{% include "x\'); globalThis.brinePwned = 1; (\'" ignore missing %}', ''],
  ['{% set constructor = "c" %}{% set __proto__ = "p" %}{{ constructor ~ __proto__ }}', 'cp'],
];

describe('security: template injection', function () {
  this.timeout(60_000);
  const envName = `BRINE_SEC_ENV_${crypto.randomBytes(4).toString('hex').toUpperCase()}`;
  const envValue = `ENV-LEAK-${crypto.randomBytes(6).toString('hex')}`;
  let dir: string;
  let marker: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-sec-tpl-'));
    marker = path.join(dir, 'MARKER');
    process.env[envName] = envValue;
  });
  after(() => {
    delete process.env[envName];
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function renderer(pillar: Record<string, unknown> = {}, grains: Record<string, unknown> = {}): JinjaRenderer {
    return new JinjaRenderer(new LocalFileSource({ base: [dir] }), { pillar, grains, opts: { id: 'm1' }, saltenv: 'base' });
  }

  /** No trace of code execution: no marker file, no global, no polluted prototype, no env value. */
  function assertNothingRan(output: string): void {
    assert.equal(fs.existsSync(marker), false, 'a template created the marker file');
    assert.equal((globalThis as Record<string, unknown>).brinePwned, undefined, 'a template set a global');
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was polluted');
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
    assert.equal(output.includes(envValue), false, 'an environment variable leaked');
  }

  it('renders grain and pillar values holding template syntax as plain data, however they are reached', () => {
    for (const value of TEMPLATE_DATA) {
      const data = value.replace('MARKER', marker);
      const r = renderer({ p: data, nested: { list: [data] } }, { g: data });
      const views: Array<[string, string]> = [
        ['{{ pillar.p }}', data],
        ["{{ pillar['p'] }}", data],
        ["{{ salt['pillar.get']('p') }}", data],
        ["{{ salt['pillar.get']('nested:list')[0] }}", data],
        ["{{ pillar.get('nested:list')|first }}", data],
        ['{{ grains.g }}', data],
        ["{{ salt['grains.get']('g') }}", data],
        ["{{ salt['config.get']('g') }}", data],
        ['{% set v = grains.g %}{{ v }}', data],
        ['{{ grains.g ~ pillar.p }}', data + data],
        ['{{ [grains.g]|join }}', data],
        ['{{ grains.g|string }}', data],
        ['{{ grains.g|json }}', JSON.stringify(data)],
        ["{{ '%s'|format(grains.g) }}", data],
        ["{{ '{}'.format(grains.g) }}", data],
      ];
      for (const [tpl, want] of views) assert.equal(r.render(tpl, 'data-test'), want, `${tpl} with ${JSON.stringify(data)}`);
      assert.equal(r.render('{{ grains.g|yaml }}', 'data-test').includes('49'), false);
      assertNothingRan('');
    }
  });

  it('keeps template syntax in pillar and grains literal in the states an SLS renders', () => {
    const r = renderer({ motd: '{{ 7*7 }}', raw: '{% raw %}x{% endraw %}' }, { host: "{{ salt['cmd.run']('touch " + marker + "') }}" });
    const data = renderSls("motd:\n  test.nop:\n    - a: {{ pillar.motd|yaml }}\n    - b: {{ pillar.raw|yaml }}\n    - c: {{ grains.host|yaml }}\n", { sls: 't', url: 'salt://t.sls', saltenv: 'base' }, r);
    assert.deepEqual(data, { motd: { 'test.nop': [{ a: '{{ 7*7 }}' }, { b: '{% raw %}x{% endraw %}' }, { c: `{{ salt['cmd.run']('touch ${marker}') }}` }] } });
    assertNothingRan(JSON.stringify(data));
  });

  it('gives a TemplateError for every template reaching for constructors, prototypes, globals or Python internals', () => {
    const r = renderer({ p: 1 }, { g: 1 });
    for (const raw of ESCAPES) {
      const tpl = raw.replace(/MARKER/g, marker).replace(/ENVNAME/g, envName);
      let thrown: unknown;
      try {
        const out = r.render(tpl, 'escape-test');
        assert.fail(`${tpl} rendered: ${out}`);
      } catch (e) {
        thrown = e;
      }
      assert.ok(thrown instanceof TemplateError, `${tpl} threw ${(thrown as Error)?.constructor?.name}: ${(thrown as Error)?.message}`);
      assert.doesNotMatch(thrown.message, /\[object process\]|function Function|\[native code\]/, `${tpl} reached JavaScript: ${thrown.message}`);
      assertNothingRan(thrown.message);
    }
  });

  it('renders text aimed at the generated JavaScript as that text', () => {
    const r = renderer();
    for (const [tpl, want] of CODE_STRINGS) {
      assert.equal(r.render(tpl, 'code-test'), want, tpl);
      assertNothingRan('');
    }
  });

  it('loads __proto__ and constructor keys from YAML as plain keys, polluting nothing', () => {
    const docs = [
      '__proto__: {polluted: yes}',
      'a: 1\n<<: {__proto__: {polluted: yes}}',
      '? __proto__\n: {polluted: yes}',
      '{"__proto__": {"polluted": "yes"}}',
      'constructor: {prototype: {polluted: yes}}',
      'x: &a {__proto__: {polluted: yes}}\ny: *a',
    ];
    for (const doc of docs) {
      const v = loadSaltYaml(doc, 'proto.sls') as Record<string, unknown>;
      assert.equal(Object.getPrototypeOf(v), Object.prototype, doc);
      assert.equal(v.polluted, undefined, doc);
      assertNothingRan('');
    }
    for (const doc of ['x: !!python/object/apply:os.system ["touch MARKER"]', 'x: !!js/function "function () {}"', 'x: !!python/name:os.system']) {
      assert.throws(() => loadSaltYaml(doc.replace('MARKER', marker), 'tags.sls'), (e: unknown) => (e as Error).name === 'YamlError', doc);
    }
    assertNothingRan('');
  });

  it('brine call --local writes grain and pillar values holding template syntax literally', () => {
    const states = path.join(dir, 'states');
    const pillars = path.join(dir, 'pillars');
    const out = path.join(dir, 'out');
    fs.mkdirSync(states, { recursive: true });
    fs.mkdirSync(pillars, { recursive: true });
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(pillars, 'top.sls'), "base:\n  '*':\n    - data\n");
    // a pillar SLS is a template itself: its values hold template syntax only when written escaped
    fs.writeFileSync(path.join(pillars, 'data.sls'), `p: "{% raw %}{{ salt['cmd.run']('touch ${marker}') }}{% endraw %}"\nraw: "{{ '{% raw %}r{% endraw %}' }}"\n`);
    fs.writeFileSync(
      path.join(states, 'inj.sls'),
      [
        `${out}/grain:`,
        '  file.managed:',
        "    - contents: {{ grains['evil']|yaml }}",
        `${out}/pillar:`,
        '  file.managed:',
        "    - contents: {{ pillar['p']|yaml }}",
        `${out}/raw:`,
        '  file.managed:',
        "    - contents: {{ pillar['raw']|yaml }}",
        `${out}/templated:`,
        '  file.managed:',
        '    - contents: "{{ "{{" }} grains.id {{ "}}" }}"',
        '',
      ].join('\n'),
    );
    const etc = path.join(dir, 'etc');
    fs.mkdirSync(etc, { recursive: true });
    fs.writeFileSync(
      path.join(etc, 'minion'),
      `id: m1\ngrains: {evil: ${JSON.stringify('{{ 7*7 }}{% raw %}')}}\nfile_roots: {base: [${states}]}\npillar_roots: {base: [${pillars}]}\ncachedir: ${path.join(dir, 'cache')}\n`,
    );
    const r = spawnSync(process.execPath, [BRINE, 'call', '--local', '-c', etc, 'state.apply', 'inj', '--out', 'json'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(fs.readFileSync(path.join(out, 'grain'), 'utf8'), '{{ 7*7 }}{% raw %}\n');
    assert.equal(fs.readFileSync(path.join(out, 'pillar'), 'utf8'), `{{ salt['cmd.run']('touch ${marker}') }}\n`);
    assert.equal(fs.readFileSync(path.join(out, 'raw'), 'utf8'), '{% raw %}r{% endraw %}\n');
    assert.equal(fs.readFileSync(path.join(out, 'templated'), 'utf8'), '{{ grains.id }}\n');
    assertNothingRan(r.stdout + r.stderr);
  });

  /** Render `template` with `grains` in a child process; its exit status and output. */
  function renderInChild(template: string, grains: Record<string, unknown>): { status: number | null; signal: NodeJS.Signals | null; out: string } {
    const script = [
      `const { JinjaRenderer } = require(${JSON.stringify(require.resolve('../../common/render/jinja'))});`,
      `const { LocalFileSource } = require(${JSON.stringify(require.resolve('../../common/fileserver'))});`,
      `const r = new JinjaRenderer(new LocalFileSource({ base: [] }), { pillar: {}, grains: ${JSON.stringify(grains)}, opts: {}, saltenv: 'base' });`,
      `try { process.stdout.write('rendered ' + r.render(${JSON.stringify(template)}, 'salt://big.sls').length); }`,
      "catch (e) { process.stdout.write(e.name + ': ' + e.message.split('\\n')[0]); }",
    ].join('\n');
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
    return { status: r.status, signal: r.signal, out: r.stdout + r.stderr };
  }

  // HOLE: common/render/globals.ts range() builds the whole list before its MAX_RANGE check,
  // and python-ops.ts repeat() (`[x] * n`) has no bound: a template looping over a number from
  // a minion's grains (`{% for i in range(grains['num_cpus']) %}`) with a grain of 10**9 makes
  // V8 abort the process ("Fatal JavaScript invalid size error"), uncatchable, even in a worker
  // thread: the master (which renders every minion's SLS) dies. Reproduce: node -e
  // "new (require('./dist/common/render/jinja').JinjaRenderer)(new (require('./dist/common/fileserver').LocalFileSource)({}), {pillar:{},grains:{n:1e9},opts:{},saltenv:'base'}).render('{% for i in range(grains.n) %}{% endfor %}','x')"
  it('refuses huge ranges and repetitions from grains with a TemplateError instead of aborting the process', () => {
    for (const tpl of ['{% for i in range(grains.n) %}{% endfor %}', '{{ ([1] * grains.n)|length }}', '{{ (range(100000)|list * grains.n)|length }}']) {
      const r = renderInChild(tpl, { n: 1_000_000_000 });
      assert.equal(r.signal, null, `${tpl}: the process was killed by ${r.signal}: ${r.out}`);
      assert.equal(r.status, 0, `${tpl}: exit ${r.status}: ${r.out}`);
      assert.match(r.out, /^TemplateError: /, tpl);
    }
  });

  it('refuses a string repetition too large for memory with a TemplateError', () => {
    const r = renderInChild("{{ ('a' * grains.n)|length }}", { n: 1_000_000_000 });
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /^TemplateError: /);
  });
});
