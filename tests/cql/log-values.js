// tests/cql/log-values.js - the values the lab's clients logged (the
// DataStax driver's workload, the raw client, the v4/v5 generator), written
// as the CQL literals tapline shows, made from the logs and the column types
// alone, never from tapline's output.  Shared by decode-vs-logs.js and
// golden-check.js.
'use strict';


// ---- CQL literals from the driver's values and its type names ----
// Type names as workload.js logs them: int, varchar, list<int>,
// map<varchar,int>, tuple<int,varchar,boolean>, udt<address:street
// varchar,zip int>, custom(...).
function splitTop(s) {
	const out = [];
	let depth = 0, cur = '';
	for (const ch of s) {
		if (ch === '<' || ch === '(') depth++;
		if (ch === '>' || ch === ')') depth--;
		if (ch === ',' && depth === 0) { out.push(cur.trim()); cur = ''; continue; }
		cur += ch;
	}
	if (cur.trim()) out.push(cur.trim());
	return out;
}
function parseType(s) {
	s = s.trim();
	if (s.startsWith('custom(')) return { kind: 'custom' };
	const m = s.match(/^([a-z]+)<(.*)>$/);
	if (!m) return { kind: s };
	if (m[1] === 'udt') {
		const [, fields] = m[2].match(/^[^:]*:(.*)$/);
		return { kind: 'udt', fields: splitTop(fields).map(x => { const i = x.indexOf(' '); return [x.slice(0, i), parseType(x.slice(i + 1))]; }) };
	}
	return { kind: m[1], args: splitTop(m[2]).map(parseType) };
}
const quote = s => "'" + s.replace(/'/g, "''") + "'";
function literal(t, v, nested) {
	if (v === null || v === undefined) return 'null';
	switch (t.kind) {
	case 'varchar': case 'text': case 'ascii': return nested ? quote(v) : v;
	case 'boolean': return v ? 'true' : 'false';
	case 'blob': case 'custom': return v;
	case 'list': return '[' + v.map(x => literal(t.args[0], x, true)).join(', ') + ']';
	case 'set': return '{' + v.map(x => literal(t.args[0], x, true)).join(', ') + '}';
	case 'map': return '{' + (Array.isArray(v) ? v : Object.entries(v)).map(([k, x]) => literal(t.args[0], k, true) + ': ' + literal(t.args[1], x, true)).join(', ') + '}';
	case 'tuple': return '(' + v.map((x, i) => literal(t.args[i], x, true)).join(', ') + ')';
	case 'udt': return '{' + t.fields.filter(([name]) => name in v).map(([name, ft]) => name + ': ' + literal(ft, v[name], true)).join(', ') + '}';
	case 'inet': return ipText(v);
	default: return String(v);
	}
}
// IPv6 as RFC 5952 writes it (the driver's text may not compress).
function ipText(s) {
	if (!s.includes(':')) return s;
	const [h, t] = s.split('::');
	const hs = h ? h.split(':') : [], ts = t !== undefined && t ? t.split(':') : [];
	const g = (t === undefined ? hs : [...hs, ...Array(8 - hs.length - ts.length).fill('0'), ...ts]).map(x => parseInt(x, 16));
	let best = -1, len = 0;
	for (let i = 0; i < 8;) {
		if (g[i]) { i++; continue; }
		let j = i; while (j < 8 && !g[j]) j++;
		if (j - i > len && j - i >= 2) { best = i; len = j - i; }
		i = j;
	}
	let out = '';
	for (let i = 0; i < 8; i++) {
		if (i === best) { out += '::'; i += len - 1; continue; }
		out += (i > 0 && i !== best + len ? ':' : '') + g[i].toString(16);
	}
	return out;
}

// ---- bound values: types from the schema the log's statements made ----
// Column types of every table (and the fields of every type) the log's
// CREATE TABLE / ALTER TABLE ADD / CREATE TYPE statements name; literal()'s
// type objects.
function schemaOf(log) {
	const tables = {}, udts = {};
	const typeOf = s => {
		s = s.trim();
		const fr = s.match(/^frozen<(.*)>$/);
		if (fr) return typeOf(fr[1]);
		const m = s.match(/^([a-z]+)<(.*)>$/);
		if (m) return { kind: m[1], args: splitTop(m[2]).map(typeOf) };
		if (udts[s]) return { kind: 'udt', fields: udts[s] };
		return { kind: s };
	};
	const columns = body => splitTop(body).filter(x => !/^PRIMARY KEY/i.test(x)).map(x => {
		const [, name, type] = x.match(/^(\w+)\s+(.*?)(\s+PRIMARY KEY)?$/);
		return [name, typeOf(type)];
	});
	for (const e of log.filter(x => x.ok)) {	/* a refused one made nothing */
		const q = e.cql || '';
		let m = q.match(/^CREATE TYPE (\w+) \((.*)\)$/);
		if (m) udts[m[1]] = columns(m[2]);
		m = q.match(/^CREATE TABLE (\w+) \((.*)\)$/);
		if (m) tables[m[1]] = Object.fromEntries(columns(m[2]));
		m = q.match(/^ALTER TABLE (\w+) ADD (\w+) (.*)$/);
		if (m && tables[m[1]]) tables[m[1]][m[2]] = typeOf(m[3]);
	}
	return tables;
}
// The column each bind marker of a statement stands for: an INSERT's
// column list, else the name left of "= ?" or "name + ?".
function markerTypes(tables, cql) {
	const table = tables[(cql.match(/(?:INTO|UPDATE|FROM)\s+(\w+)/) || [])[1]];
	if (!table) return null;
	const ins = cql.match(/^INSERT INTO \w+ \(([^)]*)\) VALUES \(([^)]*)\)/);
	if (ins) {
		const cols = ins[1].split(',').map(x => x.trim()), vals = ins[2].split(',').map(x => x.trim());
		return cols.filter((c, i) => vals[i] === '?').map(c => table[c]);
	}
	const out = [];
	const re = /(\w+)\s*(?:[=+-]|\+)\s*\?/g;
	let m;
	while ((m = re.exec(cql))) out.push(table[m[1]]);
	return out;
}
// tapline writes a whole double or float with its point (3.0); the
// driver's number has none.
const boundLiteral = (t, v) => !t ? `(no type for ${JSON.stringify(v)})` : ((t.kind === 'double' || t.kind === 'float') && Number.isInteger(v) ?
	v.toFixed(1) : literal(t, v, false));

// A value's bytes as the driver encodes it (the types the lab's unprepared
// statements bind), as 0x hex.
function rawValue(t, v) {
	const kind = t && t.kind;
	if (kind === 'text' || kind === 'varchar' || kind === 'ascii')
		return '0x' + Buffer.from(v, 'utf8').toString('hex');
	if (kind === 'int') {
		const b = Buffer.alloc(4);
		b.writeInt32BE(v);
		return '0x' + b.toString('hex');
	}
	return `(no encoder for ${kind})`;
}

// ---- the v4/v5 generator's logs ----
function genLiteral(t, v, nested) {
	if (v === null || v === undefined) return 'null';
	if (typeof t === 'string') {
		switch (t) {
		case 'ascii': case 'varchar': return nested ? quote(v) : v;
		case 'blob': return '0x' + v;
		case 'boolean': return v ? 'true' : 'false';
		case 'decimal': return decimalText(v.scale, BigInt(v.unscaled));
		case 'timestamp': return new Date(Number(v)).toISOString().replace(/^(\d{4})/, '$1');
		case 'date': return dateText(v);
		case 'time': return timeText(BigInt(v));
		case 'duration': return durationText(v);
		case 'inet': return ipText(v);
		case 'double': case 'float': return String(v);
		default: return String(v);
		}
	}
	if (t.custom !== undefined) return '0x' + v;
	if (t.list) return '[' + v.map(x => genLiteral(t.list, x, true)).join(', ') + ']';
	if (t.set) return '{' + v.map(x => genLiteral(t.set, x, true)).join(', ') + '}';
	if (t.map) return '{' + v.map(([k, x]) => genLiteral(t.map[0], k, true) + ': ' + genLiteral(t.map[1], x, true)).join(', ') + '}';
	if (t.tuple) return '(' + v.map((x, i) => genLiteral(t.tuple[i], x, true)).join(', ') + ')';
	if (t.udt) return '{' + t.udt.fields.map(([name, ft]) => name + ': ' + genLiteral(ft, v[name], true)).join(', ') + '}';
	return String(v);
}
function decimalText(scale, u) {
	const neg = u < 0n, digits = (neg ? -u : u).toString();
	let s;
	if (scale <= 0) s = digits + (digits === '0' ? '' : '0'.repeat(-scale));
	else if (scale >= digits.length) s = '0.' + '0'.repeat(scale - digits.length) + digits;
	else s = digits.slice(0, digits.length - scale) + '.' + digits.slice(digits.length - scale);
	return (neg ? '-' : '') + s;
}
function dateText(days) {
	const d = new Date(days * 86400000);
	if (Number.isNaN(d.getTime())) return '-5877641-06-23';	/* the spec's example */
	return d.toISOString().slice(0, 10);
}
function timeText(ns) {
	const p = (x, w) => String(x).padStart(w, '0');
	return `${p(ns / 3600000000000n, 2)}:${p(ns / 60000000000n % 60n, 2)}:${p(ns / 1000000000n % 60n, 2)}.${p(ns % 1000000000n, 9)}`;
}
function durationText(d) {
	let mo = BigInt(d.months), dd = BigInt(d.days), ns = BigInt(d.nanos);
	if (!mo && !dd && !ns) return '0s';
	const neg = mo < 0n || dd < 0n || ns < 0n;
	if (neg) { mo = -mo; dd = -dd; ns = -ns; }
	let s = neg ? '-' : '';
	if (mo / 12n) s += mo / 12n + 'y';
	if (mo % 12n) s += mo % 12n + 'mo';
	if (dd) s += dd + 'd';
	for (const [u, unit] of [[3600000000000n, 'h'], [60000000000n, 'm'], [1000000000n, 's'], [1000000n, 'ms'], [1000n, 'us'], [1n, 'ns']])
		if (ns >= u) { s += ns / u + unit; ns %= u; }
	return s;
}

// The generator's all-types columns, in its order.
function genTypes() {
	const UDT = { udt: { ks: 'lab', name: 'address', fields: [['street', 'varchar'], ['zip', 'int']] } };
	return ['int', 'ascii', 'bigint', 'blob', 'boolean', 'counter', 'decimal', 'double', 'float', 'int', 'timestamp', 'uuid',
		'varchar', 'varint', 'timeuuid', 'inet', 'inet', 'date', 'time', 'smallint', 'tinyint', { list: 'int' },
		{ set: 'varchar' }, { map: ['varchar', 'int'] }, { tuple: ['int', 'varchar', 'boolean'] }, UDT,
		{ custom: 'org.apache.cassandra.db.marshal.DynamicCompositeType' }, 'duration'];
}

module.exports = {
	splitTop, parseType, quote, literal, ipText, schemaOf, markerTypes, boundLiteral,
	rawValue, genLiteral, decimalText, dateText, timeText, durationText, genTypes,
};
