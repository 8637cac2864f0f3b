/* protocol.c - CQL's entry in the protocol registry, and its header as -V
 * and -T json show it (the lines of tshark's "Cassandra CQL Protocol"). */
#include <inttypes.h>

#include "base/view.h"
#include "proto/cql/cql.h"
#include "proto/cql/fields.h"
#include "proto/registry.h"
#include "wire/stream.h"

extern const struct stream_proto cql_stream_proto;
extern const struct protocol cql_protocol;

static bool cql_message(const struct message *m)
{
	return m->proto == &cql_protocol && (m->proto_header[CQL_H_VERSION_BYTE] & CQL_H_PRESENT);
}

static void cql_tree_head(const struct message *m, struct view *v)
{
	if (!cql_message(m))
		return;
	unsigned vb = (unsigned)(m->proto_header[CQL_H_VERSION_BYTE] & 0xff);
	unsigned flags = (unsigned)m->proto_header[CQL_H_FLAGS];
	unsigned op = (unsigned)m->proto_header[CQL_H_OPCODE];
	const char *name = cql_opcode_name((uint8_t)op);
	const struct exchange *ex = &m->exchange;
	view_linef(v, "Cassandra CQL Protocol");
	view_linef(v, "    Version: 0x%02x (protocol %u, %s)", vb, vb & 0x7f,
		   vb & 0x80 ? "response" : "request");
	view_linef(v, "    Flags: 0x%02x%s%s%s%s%s", flags,
		   flags & CQL_FLAG_COMPRESSION ? " compression" : "",
		   flags & CQL_FLAG_TRACING ? " tracing" : "",
		   flags & CQL_FLAG_CUSTOM_PAYLOAD ? " custom-payload" : "",
		   flags & CQL_FLAG_WARNING ? " warning" : "",
		   flags & CQL_FLAG_USE_BETA ? " beta" : "");
	view_linef(v, "    Stream: %" PRId64, (int64_t)m->proto_header[CQL_H_STREAM]);
	view_linef(v, "    Opcode: %s (%u)", name ? name : "unknown", op);
	view_linef(v, "    Length: %" PRIu64, m->proto_header[CQL_H_LENGTH]);
	if (ex->kind != EXCHANGE_RESPONSE)
		return;
	view_response_lines(v, ex->request_frame, ex->latency_ns);
}

static void cql_json_head(const struct message *m, struct view *v)
{
	if (!cql_message(m))
		return;
	const char *name = cql_opcode_name((uint8_t)m->proto_header[CQL_H_OPCODE]);
	view_json_open(v, "cql");
	v->json_uint(v, VIEW_KEY_("version"), m->proto_header[CQL_H_VERSION_BYTE] & 0x7f);
	view_json_cstr(v, "direction", (m->proto_header[CQL_H_VERSION_BYTE] & 0x80) ? "response" : "request");
	v->json_uint(v, VIEW_KEY_("flags"), m->proto_header[CQL_H_FLAGS]);
	v->json_int(v, VIEW_KEY_("stream"), (int64_t)m->proto_header[CQL_H_STREAM]);
	if (name)
		view_json_cstr(v, "opcode", name);
	v->json_uint(v, VIEW_KEY_("length"), m->proto_header[CQL_H_LENGTH]);
	v->json_close(v);
}

const struct protocol cql_protocol = {
	.name = "cql",
	.label = "CQL",
	.meaning = "Cassandra/ScyllaDB native protocol v1-v5: queries, rows, events",
	.fields = cql_fields,
	.stream = &cql_stream_proto,
	.tree_head = cql_tree_head,
	.json_head = cql_json_head,
};
