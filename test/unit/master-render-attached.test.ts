/** AttachedFileSource: salt:// reads served from the files a master attached to a job. */
import assert from 'node:assert/strict';
import { AttachedFileSource, attachFile, attachmentKey } from '../../common/attached-files';
import { BrineError, ValidationError } from '../../common/errors';
import type { AttachedFiles } from '../../common/protocol/messages';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('AttachedFileSource', () => {
  const files: AttachedFiles = {
    base: { 'a/b.conf': bytes('B'), 'a/c/d.txt': bytes('D'), 'top.txt': bytes('T') },
    dev: { 'a/b.conf': bytes('dev B') },
  };
  const src = new AttachedFileSource(files);

  it('reads attached files of the asked saltenv, or of ?saltenv=', () => {
    assert.equal(src.read('salt://a/b.conf', 'base').toString('utf8'), 'B');
    assert.equal(src.read('salt://a/b.conf', 'dev').toString('utf8'), 'dev B');
    assert.equal(src.read('salt://a/b.conf?saltenv=dev', 'base').toString('utf8'), 'dev B');
    assert.equal(src.read('salt://./a//b.conf', 'base').toString('utf8'), 'B');
    assert.ok(Buffer.isBuffer(src.read('salt://top.txt', 'base')));
  });

  it('says exists only for attached files', () => {
    assert.equal(src.exists('salt://a/b.conf', 'base'), true);
    assert.equal(src.exists('salt://a/nope.conf', 'base'), false);
    assert.equal(src.exists('salt://a/c/d.txt', 'dev'), false);
    assert.equal(src.exists('salt://a/b.conf', 'nosuchenv'), false);
  });

  it('lists attached files under a directory, relative to it', () => {
    assert.deepEqual(src.list('salt://a', 'base'), ['b.conf', 'c/d.txt']);
    assert.deepEqual(src.list('salt://', 'base'), ['a/b.conf', 'a/c/d.txt', 'top.txt']);
    assert.deepEqual(src.list('salt://a/c/', 'base'), ['d.txt']);
    assert.deepEqual(src.list('salt://a', 'nosuchenv'), []);
  });

  it('a file the master did not attach fails like a missing source, and says so', () => {
    assert.throws(
      () => src.read('salt://a/missing.conf', 'base'),
      (e: unknown) =>
        e instanceof BrineError &&
        e.message === "Source file salt://a/missing.conf not found in saltenv 'base': the master did not attach salt://a/missing.conf",
    );
  });

  const hostile = [
    'salt://../etc/passwd',
    'salt://a/../../etc/passwd',
    'salt:///etc/passwd',
    'salt://a\\..\\..\\etc\\passwd',
    'salt://%2e%2e/etc/passwd',
    'salt://a%2Fb.conf',
    'salt://a/b.conf\u0000.txt',
    'salt://a/\u0007b',
    '/etc/passwd',
    'file:///etc/passwd',
  ];
  for (const url of hostile) {
    it(`refuses ${JSON.stringify(url)} for read, exists and list`, () => {
      assert.throws(() => src.read(url, 'base'), ValidationError);
      assert.throws(() => src.exists(url, 'base'), ValidationError);
      assert.throws(() => src.list(url, 'base'), ValidationError);
    });
  }

  it('a hostile key inside the attached map is unreachable', () => {
    const evil: AttachedFiles = { base: { '../x': bytes('x'), '/abs': bytes('y') } };
    const s = new AttachedFileSource(evil);
    assert.throws(() => s.read('salt://../x', 'base'), ValidationError);
    assert.throws(() => s.read('salt:///abs', 'base'), ValidationError);
    assert.equal(s.exists('salt://abs', 'base'), false);
  });

  it('object prototype names are plain missing files and saltenvs', () => {
    assert.equal(src.exists('salt://__proto__', 'base'), false);
    assert.equal(src.exists('salt://constructor', 'base'), false);
    assert.equal(src.exists('salt://a/b.conf', '__proto__'), false);
    assert.equal(src.exists('salt://toString', 'constructor'), false);
    assert.deepEqual(src.list('salt://', '__proto__'), []);
  });

  it('attachFile stores any path as an own key, even __proto__', () => {
    const out: AttachedFiles = {};
    attachFile(out, attachmentKey('salt://__proto__', 'base'), bytes('p'));
    attachFile(out, { saltenv: '__proto__', path: 'x' }, bytes('q'));
    assert.equal(Object.getPrototypeOf(out.base), Object.prototype);
    const s = new AttachedFileSource(out);
    assert.equal(s.read('salt://__proto__', 'base').toString('utf8'), 'p');
    assert.equal(s.read('salt://x', '__proto__').toString('utf8'), 'q');
  });

  it('attachmentKey normalises the path and applies ?saltenv=', () => {
    assert.deepEqual(attachmentKey('salt://a/./b//c.txt', 'base'), { saltenv: 'base', path: 'a/b/c.txt' });
    assert.deepEqual(attachmentKey('salt://a/b?saltenv=prod', 'base'), { saltenv: 'prod', path: 'a/b' });
  });
});
