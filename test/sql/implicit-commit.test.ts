import { test } from 'node:test';
import assert from 'node:assert/strict';
import { causesImplicitCommit, firstKeyword } from '../../src/sql/implicit-commit.js';

test('first keyword skips comments but reads MySQL executable comments', () => {
  assert.equal(firstKeyword('  -- note\n/* c */ create table t (id int)'), 'CREATE');
  assert.equal(firstKeyword('/*!50003 CREATE*/ /*!50017 DEFINER=`root`*/ TRIGGER t'), 'CREATE');
  assert.equal(firstKeyword('# hash comment\nINSERT INTO t VALUES (1)'), 'INSERT');
  assert.equal(causesImplicitCommit('ALTER TABLE t ADD c int'), true);
  assert.equal(causesImplicitCommit('UPDATE t SET c = 1'), false);
  assert.equal(causesImplicitCommit('/*!40101 SET NAMES utf8 */'), false);
});
