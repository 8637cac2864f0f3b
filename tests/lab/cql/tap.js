// tests/lab/cql/tap.js - TAP from the CQL tests' node scripts: ok() prints
// one test line and, when it fails, its detail (text as it is, anything
// else as JSON); skip() a skipped one; done() the plan and the exit
// status (a run that tested nothing fails).
'use strict';

let n = 0, failed = 0;
function ok(cond, what, detail) {
	n++;
	console.log(`${cond ? 'ok' : 'not ok'} ${n} - ${what}`);
	if (!cond) {
		failed++;
		if (detail !== undefined && detail !== '') {
			const text = typeof detail === 'string' ? detail : JSON.stringify(detail);
			console.log('#   ' + text.slice(0, 800).replace(/\n/g, '\n#   '));
		}
	}
	return !!cond;
}
function skip(what) {
	console.log(`ok ${++n} # SKIP ${what}`);
}
function done() {
	console.log(`1..${n}`);
	process.exit(failed || !n ? 1 : 0);
}

module.exports = { ok, skip, done };
