// parse.mjs parses SQL statements with node-sql-parser's Snowflake grammar, a grammar featc did
// not write: an independent check that featc's Snowflake SQL is Snowflake's syntax, since no
// Snowflake account runs in featc's tests.
//
// Input (stdin): a JSON array of statements (strings).
// Output (stdout): {"parser": "node-sql-parser VERSION", "results": [...]}, with one result per
// statement, in order: {"ok": true}, or {"ok": false, "error": "<the parser's message> (line L,
// column C)"}.
//
// The package version is pinned by package.json and package-lock.json beside this file; run
// `npm ci` here first. backends/snowflake's TestGoldenParses runs this script.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Parser } = require('node-sql-parser');
const version = require('node-sql-parser/package.json').version;

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const statements = JSON.parse(Buffer.concat(chunks).toString('utf8'));
if (!Array.isArray(statements)) {
  process.stderr.write('parse.mjs: stdin must be a JSON array of strings\n');
  process.exit(2);
}

const parser = new Parser();
const results = statements.map((sql) => {
  try {
    parser.astify(sql, { database: 'Snowflake' });
    return { ok: true };
  } catch (e) {
    let error = String(e && e.message ? e.message : e);
    const at = e && e.location && e.location.start;
    if (at) error += ` (line ${at.line}, column ${at.column})`;
    return { ok: false, error };
  }
});
process.stdout.write(JSON.stringify({ parser: 'node-sql-parser ' + version, results }) + '\n');
