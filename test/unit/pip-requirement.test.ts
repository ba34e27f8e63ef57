/** Requirement specifiers as the pip state reads them (Salt's prefix and version_spec). */
import * as assert from 'node:assert/strict';
import { canonicalName, parseRequirement, RequirementError } from '../../minion/backends/pip/requirement';

describe('pip backend: requirement specifiers', () => {
  it('reads names, extras, clauses and markers', () => {
    assert.deepEqual(parseRequirement('django >= 1.6, <= 1.7'), {
      text: 'django >= 1.6, <= 1.7',
      prefix: 'django',
      clauses: [
        { op: '>=', version: '1.6' },
        { op: '<=', version: '1.7' },
      ],
    });
    assert.deepEqual(parseRequirement('requests[security,socks]==2.31.0').clauses, [{ op: '==', version: '2.31.0' }]);
    assert.equal(parseRequirement('requests[security]').prefix, 'requests');
    assert.deepEqual(parseRequirement('foo (>=1.0)').clauses, [{ op: '>=', version: '1.0' }]);
    assert.deepEqual(parseRequirement('foo==1.*; python_version < "3.12"').clauses, [{ op: '==', version: '1.*' }]);
    assert.deepEqual(parseRequirement('zope.interface~=5.0').clauses, [{ op: '~=', version: '5.0' }]);
  });

  it("makes Salt's prefix: runs of characters other than letters, digits and dots become '-'", () => {
    assert.equal(parseRequirement('Brine_Small==0.1').prefix, 'Brine-Small');
    assert.equal(parseRequirement('zope.interface').prefix, 'zope.interface');
  });

  it('knows the project of wheels and #egg= URLs; other URLs and paths are unnamed', () => {
    assert.deepEqual(parseRequirement('/srv/wheels/brine_tiny-2.0-py3-none-any.whl'), {
      text: '/srv/wheels/brine_tiny-2.0-py3-none-any.whl',
      prefix: 'brine-tiny',
      clauses: [{ op: '==', version: '2.0' }],
    });
    assert.equal(parseRequirement('git+https://git.example.org/app.git@v1#egg=app').prefix, 'app');
    assert.equal(parseRequirement('https://files.example.org/app-1.0.tar.gz').prefix, '');
    assert.equal(parseRequirement('./src/app').prefix, '');
    assert.deepEqual(parseRequirement('app @ https://files.example.org/app-1.0.tar.gz'), {
      text: 'app @ https://files.example.org/app-1.0.tar.gz',
      prefix: 'app',
      clauses: [],
    });
  });

  it("refuses what pip refuses, with Salt's comments", () => {
    assert.throws(() => parseRequirement('foo=1.0'), {
      message: "Invalid version specification in package foo=1.0. '=' is not supported, use '==' instead.",
    });
    assert.throws(() => parseRequirement('foo bar'), (e: unknown) => {
      assert.ok(e instanceof RequirementError);
      assert.equal(e.message, "pip raised an exception while parsing 'foo bar': Invalid requirement: 'foo bar'");
      return true;
    });
    assert.throws(() => parseRequirement('foo >= '), RequirementError);
    assert.throws(() => parseRequirement(''), RequirementError);
  });

  it('compares names as pip does (PEP 503)', () => {
    assert.equal(canonicalName('Typing_Extensions'), 'typing-extensions');
    assert.equal(canonicalName('zope..Interface'), 'zope-interface');
  });
});
