/** Unified diffs must be byte-identical to Python's difflib (expected values produced by CPython 3.11). */
import assert from 'node:assert/strict';
import { unifiedDiff } from '../../minion/states/file/difflib';
import { contentDiff } from '../../minion/states/file/diff';
import { isText, splitLines } from '../../minion/states/file/text';

const numbered = (n: number, upper: number[] = []): string[] =>
  Array.from({ length: n }, (_, i) => (upper.includes(i + 1) ? `LINE${i + 1}\n` : `line${i + 1}\n`));

describe('states: difflib-compatible unified diff', () => {
  const cases: Array<[string, string[], string[], string]> = [
    ['one line replaced', ['old\n'], ['new\n'], '--- \n+++ \n@@ -1 +1 @@\n-old\n+new\n'],
    ['from empty', [], ['a\n', 'b\n'], '--- \n+++ \n@@ -0,0 +1,2 @@\n+a\n+b\n'],
    ['to empty', ['a\n', 'b\n'], [], '--- \n+++ \n@@ -1,2 +0,0 @@\n-a\n-b\n'],
    [
      'two hunks with context',
      numbered(20),
      numbered(20, [3, 15]),
      '--- \n+++ \n@@ -1,6 +1,6 @@\n line1\n line2\n-line3\n+LINE3\n line4\n line5\n line6\n' +
        '@@ -12,7 +12,7 @@\n line12\n line13\n line14\n-line15\n+LINE15\n line16\n line17\n line18\n',
    ],
    ['missing final newline', ['a\n', 'b'], ['a\n', 'b\n'], '--- \n+++ \n@@ -1,2 +1,2 @@\n a\n-b+b\n'],
    [
      'longest match first',
      ['x\n', 'a\n', 'b\n', 'c\n', 'a\n', 'b\n'],
      ['a\n', 'b\n', 'x\n', 'c\n', 'b\n'],
      '--- \n+++ \n@@ -1,6 +1,5 @@\n-x\n a\n b\n+x\n c\n-a\n b\n',
    ],
  ];
  for (const [title, a, b, expected] of cases) {
    it(title, () => assert.equal(unifiedDiff(a, b).join(''), expected));
  }

  it('equal inputs give nothing', () => {
    assert.deepEqual(unifiedDiff(['a\n'], ['a\n']), []);
  });

  it("file.append's newline-joined form", () => {
    assert.equal(unifiedDiff(['a', 'b'], ['a', 'b', 'c', 'd']).join('\n'), '--- \n\n+++ \n\n@@ -1,2 +1,4 @@\n\n a\n b\n+c\n+d');
    assert.equal(unifiedDiff([], ['c']).join('\n'), '--- \n\n+++ \n\n@@ -0,0 +1 @@\n\n+c');
  });
});

describe('states: Salt file diffs', () => {
  const show = { showChanges: true, obfuscate: false };
  it('diffs text files by lines', () => {
    assert.equal(contentDiff(Buffer.from('a\nb\n'), Buffer.from('a\nc\n'), show), '--- \n+++ \n@@ -1,2 +1,2 @@\n a\n-b\n+c\n');
    assert.equal(contentDiff(Buffer.from('same\n'), Buffer.from('same\n'), show), '');
  });
  it('names binary replacements', () => {
    const bin = Buffer.from([0, 1, 2, 3]);
    assert.equal(contentDiff(bin, Buffer.from([0, 9]), show), 'Replace binary file');
    assert.equal(contentDiff(bin, Buffer.from('text\n'), show), 'Replace binary file with text file');
    assert.equal(contentDiff(Buffer.from('text\n'), bin, show), 'Replace text file with binary file');
  });
  it('hides or obfuscates diffs', () => {
    assert.equal(contentDiff(Buffer.from('a\n'), Buffer.from('b\n'), { showChanges: false, obfuscate: false }), '<show_changes=False>');
    assert.equal(contentDiff(Buffer.from('a\n'), Buffer.from('b\n'), { showChanges: true, obfuscate: true }), '<Obfuscated Template>');
  });
  it('detects text like salt.utils.files.is_text', () => {
    assert.equal(isText(Buffer.from('')), true);
    assert.equal(isText(Buffer.from('héllo\n')), true);
    assert.equal(isText(Buffer.from([0x41, 0x00])), false);
    assert.equal(isText(Buffer.from([0xff, 0xfe, 0xfd, 0x41])), false);
  });
  it('splits lines like str.splitlines', () => {
    assert.deepEqual(splitLines('a\r\nb\rc\n\nd'), ['a', 'b', 'c', '', 'd']);
    assert.deepEqual(splitLines('a\nb\n', true), ['a\n', 'b\n']);
    assert.deepEqual(splitLines(''), []);
  });
});
