import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalFileSource } from '../../common/fileserver';
import { JinjaRenderer } from '../../common/render/jinja';

describe('render: whitespace as Jinja (with Salt defaults)', () => {
  let dir: string;
  let r: JinjaRenderer;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-render-ws-'));
    r = new JinjaRenderer(new LocalFileSource({ base: [dir] }), { pillar: {}, grains: {}, opts: {}, saltenv: 'base' });
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const render = (text: string): string => r.render(text, 'salt://t.sls', { x: 'X', items: ['a', 'b'] });

  it('keeps the newline after a block tag (no trim_blocks)', () => {
    assert.equal(render('{% if true %}\nfoo\n{% endif %}\nbar\n'), '\nfoo\n\nbar\n');
  });

  it('keeps indentation before a block tag (no lstrip_blocks)', () => {
    assert.equal(render('  {% if true %}x{% endif %}'), '  x');
  });

  it('strips whitespace with {%- and -%}', () => {
    assert.equal(render('a\n  {%- if true -%}\n  b\n{%- endif %}\nc'), 'ab\nc');
  });

  it('strips whitespace with {{- and -}}', () => {
    assert.equal(render('a  {{- x -}}  b'), 'aXb');
  });

  it('keeps whitespace around comments, strips it with {#- -#}', () => {
    assert.equal(render('a {# c #} b|a {#- c -#} b'), 'a  b|ab');
  });

  it("renders a loop of lines as Salt users expect", () => {
    assert.equal(render('list:\n{% for i in items %}\n  - {{ i }}\n{% endfor %}\n'), 'list:\n\n  - a\n\n  - b\n\n');
    assert.equal(render('list:\n{%- for i in items %}\n  - {{ i }}\n{%- endfor %}\n'), 'list:\n  - a\n  - b\n');
  });

  it('keeps the final newline as Salt does, and adds none when there was none', () => {
    assert.equal(render('x\n'), 'x\n');
    assert.equal(render('x'), 'x');
    assert.equal(render('x\n\n'), 'x\n\n');
  });

  it('drops the final newline before Jinja sees the template ({{ x -}} at the end)', () => {
    assert.equal(render('{{ x -}}\n'), 'X\n');
  });

  it('normalizes CRLF line endings to LF', () => {
    assert.equal(render('a\r\n{{ x }}\r\n'), 'a\nX\n');
  });

  it('renders an empty template as empty', () => {
    assert.equal(render(''), '');
  });
});
