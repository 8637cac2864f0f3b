/* output_test.c - the renderers on messages built by hand: summary line,
 * -V tree, JSON lines (escaping, tree nesting), -T fields (derived names,
 * occurrences, -E options).  Expected texts are written from the field
 * values put in, and the tshark formats they imitate (rpc.xid 0x%08x,
 * frame.time_epoch with 9 decimals, ip.src dotted). */
#include <stdlib.h>
#include <time.h>

#include "present/output.h"
#include "proto/gluster/fields.h"
#include "proto/gluster/gluster.h"
#include "proto/oncrpc/rpc.h"
#include "tap.h"

static char *render(void (*fn)(struct output *, const struct message *),
		    struct output *o, const struct message *m)
{
	static char buf[1 << 16];
	FILE *f = fmemopen(buf, sizeof buf, "w");
	o->out = f;
	fn(o, m);
	fclose(f);
	return buf;
}

static void setattr_call(struct message *m)
{
	static const uint8_t gfid[16] = {
		0x4e, 0x1f, 0x2a, 0x33, 0x9a, 0x01, 0x4b, 0x2c,
		0x8d, 0x10, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
	};
	msg_reset(m);
	m->frame = 53;
	m->first_frame = 52;
	m->ts_ns = 1763764000123456789LL;
	m->src.family = 4;
	memcpy(m->src.addr, "\x7f\x00\x00\x02", 4);
	m->src.port = 1021;
	m->dst.family = 4;
	memcpy(m->dst.addr, "\x7f\x00\x00\x02", 4);
	m->dst.port = 49152;
	m->conversation = 4;
	m->proto = &glusterfs_protocol;
	m->length = 244;
	rpc_set_header(m, 0x1a, RPC_CALL);
	m->exchange.service_code = 1298437;
	m->exchange.service_version = 400;
	m->exchange.op_code = 38;
	m->exchange.service = "GlusterFS";
	m->exchange.op = "SETATTR";
	msg_info(m, "V400 SETATTR Call gfid=4e1f2a33 valid=ATIME,MTIME "
		 "atime=-1.000000000");
	msg_add_enum(m, &hf_glusterfs_proc, 38, "SETATTR");
	msg_add_gfid(m, &hf_glusterfs_gfid, gfid);
	msg_add_flags(m, &hf_glusterfs_setattr_valid, 0x30, "ATIME,MTIME");
	msg_open(m, &hf_glusterfs_iatt, "stbuf");
	msg_add_time(m, &hf_glusterfs_ia_atime, -1, 0);
	msg_add_time(m, &hf_glusterfs_ia_mtime, 1763764000, 5);
	msg_close(m);
	msg_open(m, &hf_glusterfs_dict, "xdata");
	msg_add_str(m, &hf_glusterfs_dict_key, "k1", 2);
	msg_add_str(m, &hf_glusterfs_dict_value, "a\"b\\c\n\x01\xff", 8);
	msg_add_str(m, &hf_glusterfs_dict_key, "k2", 2);
	msg_add_bytes(m, &hf_glusterfs_dict_value, "\x00\xab", 2);
	msg_close(m);
}

static void eacces_reply(struct message *m)
{
	msg_reset(m);
	m->frame = 60;
	m->first_frame = 60;
	m->ts_ns = 1763764000123579789LL;
	m->src.family = 4;
	memcpy(m->src.addr, "\x7f\x00\x00\x02", 4);
	m->src.port = 49152;
	m->dst.family = 4;
	memcpy(m->dst.addr, "\x7f\x00\x00\x02", 4);
	m->dst.port = 1021;
	m->conversation = 4;
	m->proto = &glusterfs_protocol;
	m->length = 120;
	rpc_set_header(m, 0x1a, RPC_REPLY);
	m->exchange.service_code = 1298437;
	m->exchange.service_version = 400;
	m->exchange.op_code = 38;
	m->exchange.service = "GlusterFS";
	m->exchange.op = "SETATTR";
	m->exchange.request_frame = 53;
	m->exchange.latency_ns = 123000;
	gluster_set_result(m, -1, 13);
	msg_info(m, "V400 SETATTR Reply (Call In 53) op_ret=-1 op_errno=13 "
		 "EACCES");
	msg_add_int(m, &hf_gluster_op_ret, -1);
	msg_add_errno(m, &hf_gluster_op_errno, 13);
}

int main(void)
{
	struct message *m = malloc(sizeof *m);
	struct output o;
	char err[128];

	setattr_call(m);
	output_init(&o, stdout);
	output_set_first_time(&o, 1763764000123333789LL);
	is_str(render(output_summary, &o, m),
	       "   53 0.000123 127.0.0.2:1021 \u2192 127.0.0.2:49152 GlusterFS 244 "
	       "V400 SETATTR Call gfid=4e1f2a33 valid=ATIME,MTIME "
	       "atime=-1.000000000\n",
	       "summary line: frame, relative time, src -> dst, proto, len, info");

	o.time_format = TIME_EPOCH;
	ok(!strncmp(render(output_summary, &o, m), "   53 1763764000.123456 ", 24),
	   "-t e: epoch seconds with microseconds");
	o.time_format = TIME_UTC_DATE;
	ok(!strncmp(render(output_summary, &o, m),
		    "   53 2025-11-21 22:26:40.123456 ", 33),
	   "-t ud: UTC date and time");
	setenv("TZ", "UTC-2", 1);	/* POSIX: two hours east of UTC */
	tzset();
	o.time_format = TIME_DATE;
	ok(!strncmp(render(output_summary, &o, m),
		    "   53 2025-11-22 00:26:40.123456 ", 33),
	   "-t ad: local date and time (TZ=UTC-2)");
	o.time_format = TIME_ABSOLUTE;
	ok(!strncmp(render(output_summary, &o, m), "   53 00:26:40.123456 ", 22),
	   "-t a: local time");
	o.time_format = TIME_UTC_ABSOLUTE;
	ok(!strncmp(render(output_summary, &o, m), "   53 22:26:40.123456 ", 22),
	   "-t u: UTC time");
	unsetenv("TZ");
	tzset();
	o.time_format = TIME_RELATIVE;

	/* verdicts are appended in brackets with the reason */
	msg_mark(m, MSG_MALFORMED, "valid bits impossible");
	msg_mark(m, MSG_TRUNCATED, NULL);
	ok(strstr(render(output_summary, &o, m),
		  "atime=-1.000000000 [Malformed, Truncated: valid bits "
		  "impossible]\n") != NULL, "verdicts shown in brackets");
	setattr_call(m);

	/* the info column is the decoder's: a renderer adds nothing of a
	 * protocol's (rpc_record_test: what rpc.c writes for a call it
	 * could not name) */
	struct message *bare = malloc(sizeof *bare);
	setattr_call(bare);
	bare->info_len = 0;
	bare->info[0] = '\0';
	ok(strstr(render(output_summary, &o, bare), "GlusterFS 244 \n") != NULL,
	   "no info: nothing after the length");
	free(bare);

	/* IPv6 endpoints are bracketed */
	struct message *v6 = malloc(sizeof *v6);
	setattr_call(v6);
	v6->src.family = v6->dst.family = 6;
	memset(v6->src.addr, 0, 16);
	v6->src.addr[15] = 1;
	memset(v6->dst.addr, 0, 16);
	v6->dst.addr[15] = 1;
	ok(strstr(render(output_summary, &o, v6),
		  "[::1]:1021 \u2192 [::1]:49152") != NULL, "IPv6 endpoints");

	/* -V */
	const char *tree = render(output_tree, &o, m);
	ok(strstr(tree, "Frame 53: 244 bytes of GlusterFS, began in frame 52\n"),
	   "tree: frame header");
	ok(strstr(tree, "    Epoch Time: 1763764000.123456789 seconds\n"),
	   "tree: epoch time in ns");
	ok(strstr(tree, "Internet Protocol Version 4, Src: 127.0.0.2, Dst: "
		  "127.0.0.2\n"), "tree: IP line");
	ok(strstr(tree, "Dst Port: 49152, Stream: 3\n"),
	   "tree: tcp.stream is conversation - 1");
	ok(strstr(tree, "    Program: GlusterFS (1298437)\n    Program Version: "
		  "400\n    Procedure: SETATTR (38)\n"), "tree: RPC identity");
	ok(strstr(tree, "    glusterfs.gfid: 4e1f2a33-9a01-4b2c-8d10-"
		  "001122334455\n"), "tree: gfid as UUID");
	ok(strstr(tree, "    glusterfs.setattr.valid: 0x00000030 (ATIME,MTIME)\n"),
	   "tree: flags with names");
	ok(strstr(tree, "    stbuf\n        glusterfs.ia_atime: -1.000000000\n"
		  "        glusterfs.ia_mtime: 1763764000.000000005\n"),
	   "tree: subtree label, depth indentation, sec.nsec times");
	ok(strstr(tree, "        glusterfs.dict.value: \"a\\\"b\\\\c\\n\\x01\xff\"\n"),
	   "tree: strings quoted and C-escaped");
	ok(strstr(tree, "        glusterfs.dict.value: 00ab\n"),
	   "tree: bytes as hex");

	eacces_reply(m);
	tree = render(output_tree, &o, m);
	ok(strstr(tree, "    [This is a reply to a request in frame 53]\n"
		  "    [Time from request: 0.000123000 seconds]\n"),
	   "tree: reply's Call In and latency");
	ok(strstr(tree, "    gluster.op_errno: 13 (EACCES)\n"),
	   "tree: errno with its name");
	ok(!strstr(tree, "    op_ret:"), "tree: op_ret not shown twice");

	/* JSON */
	setattr_call(m);
	const char *json = render(output_json, &o, m);
	ok(!strncmp(json, "{\"frame\":53,\"first_frame\":52,\"time\":"
		    "\"1763764000.123456789\",\"src\":\"127.0.0.2\",\"srcport\":"
		    "1021,\"dst\":\"127.0.0.2\",\"dstport\":49152,\"stream\":3,"
		    "\"protocol\":\"GlusterFS\",\"length\":244,", 170),
	   "json: header");
	ok(strstr(json, "\"rpc\":{\"xid\":\"0x0000001a\",\"type\":\"call\","
		  "\"program\":1298437,\"program_name\":\"GlusterFS\","
		  "\"version\":400,\"procedure\":38,\"procedure_name\":"
		  "\"SETATTR\"}"), "json: rpc object");
	ok(strstr(json, "{\"name\":\"glusterfs.gfid\",\"value\":"
		  "\"4e1f2a33-9a01-4b2c-8d10-001122334455\"}"), "json: gfid");
	ok(strstr(json, "{\"name\":\"glusterfs.setattr.valid\",\"value\":\"0x00000030\","
		  "\"text\":\"ATIME,MTIME\"}"), "json: flags");
	ok(strstr(json, "{\"name\":\"glusterfs.iatt\",\"label\":\"stbuf\","
		  "\"fields\":[{\"name\":\"glusterfs.ia_atime\",\"value\":"
		  "\"-1.000000000\"},{\"name\":\"glusterfs.ia_mtime\",\"value\":"
		  "\"1763764000.000000005\"}]},"), "json: subtree nesting, times");
	ok(strstr(json, "\"value\":\"a\\\"b\\\\c\\n\\u0001\\u00ff\""),
	   "json: escapes; invalid UTF-8 byte as \\u00ff");
	ok(strchr(json, '\n') == json + strlen(json) - 1,
	   "json: exactly one line");
	eacces_reply(m);
	json = render(output_json, &o, m);
	ok(strstr(json, "\"call_frame\":53,\"latency\":\"0.000123000\","
		  "\"reply_state\":0,\"accept_state\":0,\"op_ret\":-1,"
		  "\"op_errno\":13,\"op_errno_name\":\"EACCES\"}"),
	   "json: reply fields");
	ok(strstr(json, "{\"name\":\"gluster.op_errno\",\"value\":13,"
		  "\"text\":\"EACCES\"}"), "json: errno field");

	/* -T fields */
	setattr_call(m);
	output_init(&o, stdout);
	o.format = OUTPUT_FIELDS;
	const char *names[] = {
		"frame.number", "frame.time_epoch", "ip.src", "tcp.srcport",
		"tcp.dstport", "tcp.stream", "rpc.xid", "rpc.msgtyp",
		"rpc.program", "rpc.programversion", "rpc.procedure",
		"rpc.repframe", "glusterfs.dict.key", "glusterfs.gfid",
		"ipv6.src", "glusterfs.ia_atime", "tcp.port",
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		output_add_field(&o, names[i]);
	is_str(render(output_fields, &o, m),
	       "53\t1763764000.123456789\t127.0.0.2\t1021\t49152\t3\t"
	       "0x0000001a\t0\t1298437\t400\t38\t\tk1,k2\t"
	       "4e1f2a33-9a01-4b2c-8d10-001122334455\t\t-1.000000000\t"
	       "1021,49152\n",
	       "fields: derived and listed, absent empty, occurrences joined");
	ok(output_set_option(&o, "separator=,", err, sizeof err) &&
	   output_set_option(&o, "quote=d", err, sizeof err) &&
	   output_set_option(&o, "header=y", err, sizeof err) &&
	   output_set_option(&o, "occurrence=f", err, sizeof err),
	   "-E options accepted");
	const char *csv = render(output_fields, &o, m);
	ok(!strncmp(csv, "frame.number,frame.time_epoch,ip.src,", 37),
	   "header=y: names first");
	ok(strstr(csv, "\n\"53\",\"1763764000.123456789\",\"127.0.0.2\"") &&
	   strstr(csv, ",,\"k1\","), "quote=d, separator=, occurrence=f");
	o.occurrence = 'l';
	o.header_done = true;
	ok(strstr(render(output_fields, &o, m), ",\"k2\","),
	   "occurrence=l keeps the last");
	ok(!output_set_option(&o, "separator=ab", err, sizeof err) &&
	   strstr(err, "bad value"), "bad -E value rejected: %s", err);
	ok(!output_set_option(&o, "colour=y", err, sizeof err) &&
	   strstr(err, "unknown option"), "unknown -E rejected: %s", err);

	eacces_reply(m);
	output_init(&o, stdout);
	o.format = OUTPUT_FIELDS;
	output_add_field(&o, "rpc.repframe");
	output_add_field(&o, "rpc.time");
	output_add_field(&o, "gluster.op_errno");
	output_add_field(&o, "rpc.msgtyp");
	output_add_field(&o, "rpc.replystat");
	output_add_field(&o, "frame.time_relative");
	output_set_first_time(&o, 1763764000000000000LL);
	is_str(render(output_fields, &o, m),
	       "53\t0.000123000\t13\t1\t0\t0.123579789\n",
	       "fields: reply-only derived names, frame.time_relative");

	/* a reply whose call was not seen has no program/procedure */
	m->exchange.request_frame = 0;
	m->exchange.latency_ns = -1;
	output_init(&o, stdout);
	o.format = OUTPUT_FIELDS;
	output_add_field(&o, "rpc.xid");
	output_add_field(&o, "rpc.procedure");
	output_add_field(&o, "rpc.time");
	is_str(render(output_fields, &o, m), "0x0000001a\t\t\n",
	       "fields: orphan reply leaves program columns empty");

	/* A full message (open tree never closed) still gives valid JSON. */
	msg_reset(m);
	m->proto = &rpc_protocol;
	static const struct field_def a_tree = {
		.name = "a.tree", .kind = FIELD_TREE, .meaning = "a subtree",
	};
	static const struct field_def a_x = {
		.name = "a.x", .kind = FIELD_UINT, .meaning = "a number",
	};
	msg_open(m, &a_tree, "t");
	msg_add_uint(m, &a_x, 1);
	json = render(output_json, &o, m);
	ok(strstr(json, "{\"name\":\"a.tree\",\"label\":\"t\",\"fields\":"
		  "[{\"name\":\"a.x\",\"value\":1}]}]}\n"),
	   "json: unclosed subtree closed");
	free(v6);
	free(m);
	return tap_done();
}
