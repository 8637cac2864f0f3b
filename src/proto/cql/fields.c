/* fields.c - CQL's field table, its value names, and the header fields
 * derived from the message's proto_header (so a header-only decoding
 * stores none). */
#include <string.h>

#include "base/message.h"
#include "proto/cql/cql.h"
#include "proto/cql/fields.h"

extern const struct protocol cql_protocol;

const struct value_name cql_opcode_names[] = {
	{ 0x00, "ERROR" }, { 0x01, "STARTUP" }, { 0x02, "READY" }, { 0x03, "AUTHENTICATE" },
	{ 0x04, "CREDENTIALS" }, { 0x05, "OPTIONS" }, { 0x06, "SUPPORTED" }, { 0x07, "QUERY" },
	{ 0x08, "RESULT" }, { 0x09, "PREPARE" }, { 0x0a, "EXECUTE" }, { 0x0b, "REGISTER" },
	{ 0x0c, "EVENT" }, { 0x0d, "BATCH" }, { 0x0e, "AUTH_CHALLENGE" },
	{ 0x0f, "AUTH_RESPONSE" }, { 0x10, "AUTH_SUCCESS" }, { 0, NULL },
};
const struct value_name cql_consistency_names[] = {
	{ 0, "ANY" }, { 1, "ONE" }, { 2, "TWO" }, { 3, "THREE" }, { 4, "QUORUM" }, { 5, "ALL" },
	{ 6, "LOCAL_QUORUM" }, { 7, "EACH_QUORUM" }, { 8, "SERIAL" }, { 9, "LOCAL_SERIAL" },
	{ 10, "LOCAL_ONE" }, { 0, NULL },
};
const struct value_name cql_result_kind_names[] = {
	{ 1, "Void" }, { 2, "Rows" }, { 3, "Set_keyspace" }, { 4, "Prepared" },
	{ 5, "Schema_change" }, { 0, NULL },
};
/* The specs' names (native_protocol_v5.spec section 8). */
const struct value_name cql_error_names[] = {
	{ 0x0000, "Server_error" }, { 0x000a, "Protocol_error" },
	{ 0x0100, "Bad_credentials" }, { 0x1000, "Unavailable" }, { 0x1001, "Overloaded" },
	{ 0x1002, "Is_bootstrapping" }, { 0x1003, "Truncate_error" },
	{ 0x1100, "Write_timeout" }, { 0x1200, "Read_timeout" }, { 0x1300, "Read_failure" },
	{ 0x1400, "Function_failure" }, { 0x1500, "Write_failure" },
	{ 0x1600, "CDC_write_failure" }, { 0x1700, "CAS_write_unknown" },
	{ 0x2000, "Syntax_error" }, { 0x2100, "Unauthorized" }, { 0x2200, "Invalid" },
	{ 0x2300, "Config_error" }, { 0x2400, "Already_exists" }, { 0x2500, "Unprepared" },
	{ 0, NULL },
};
const struct value_name cql_data_type_names[] = {
	{ 0x00, "custom" }, { 0x01, "ascii" }, { 0x02, "bigint" }, { 0x03, "blob" },
	{ 0x04, "boolean" }, { 0x05, "counter" }, { 0x06, "decimal" }, { 0x07, "double" },
	{ 0x08, "float" }, { 0x09, "int" }, { 0x0a, "text" }, { 0x0b, "timestamp" },
	{ 0x0c, "uuid" }, { 0x0d, "varchar" }, { 0x0e, "varint" }, { 0x0f, "timeuuid" },
	{ 0x10, "inet" }, { 0x11, "date" }, { 0x12, "time" }, { 0x13, "smallint" },
	{ 0x14, "tinyint" }, { 0x15, "duration" }, { 0x20, "list" }, { 0x21, "map" },
	{ 0x22, "set" }, { 0x30, "udt" }, { 0x31, "tuple" }, { 0, NULL },
};
const struct value_name cql_batch_type_names[] = {
	{ 0, "LOGGED" }, { 1, "UNLOGGED" }, { 2, "COUNTER" }, { 0, NULL },
};
const struct value_name cql_direction_names[] = {
	{ 0, "request" }, { 8, "response" }, { 0, NULL },
};
const struct value_name cql_compression_names[] = {
	{ CQL_COMPRESSION_LZ4, "lz4" }, { CQL_COMPRESSION_SNAPPY, "snappy" }, { 0, NULL },
};

static bool header(const struct message *m, uint64_t *w)
{
	if (m->proto != &cql_protocol || !(m->proto_header[CQL_H_VERSION_BYTE] & CQL_H_PRESENT))
		return false;
	memcpy(w, m->proto_header, sizeof m->proto_header[0] * 5);
	return true;
}

#define DERIVE(fn, body)                                                        \
	static bool fn(const struct message *m, const struct field_context *ctx,    \
		       unsigned index, struct field *out, uint8_t *buf, size_t buflen) \
	{                                                                       \
		(void)ctx; (void)index; (void)buf; (void)buflen;                \
		uint64_t h[5];                                                  \
		if (!header(m, h))                                              \
			return false;                                           \
		body                                                            \
		return true;                                                    \
	}

DERIVE(cql_derive_version, out->kind = FIELD_HEX; out->v.u = h[CQL_H_VERSION_BYTE] & 0xff;)
DERIVE(cql_derive_protocol_version, out->kind = FIELD_UINT; out->v.u = h[CQL_H_VERSION_BYTE] & 0x7f;)
DERIVE(cql_derive_direction,
       out->kind = FIELD_ENUM;
       out->v.u = (h[CQL_H_VERSION_BYTE] & 0x80) ? 8 : 0;
       out->text = out->v.u ? "response" : "request";)
DERIVE(cql_derive_flags, out->kind = FIELD_HEX; out->v.u = h[CQL_H_FLAGS];)
DERIVE(cql_derive_flags_compression, out->kind = FIELD_BOOL; out->v.u = (h[CQL_H_FLAGS] & 0x01) != 0;)
DERIVE(cql_derive_flags_tracing, out->kind = FIELD_BOOL; out->v.u = (h[CQL_H_FLAGS] & 0x02) != 0;)
DERIVE(cql_derive_flags_custom_payload, out->kind = FIELD_BOOL; out->v.u = (h[CQL_H_FLAGS] & 0x04) != 0;)
DERIVE(cql_derive_flags_warning, out->kind = FIELD_BOOL; out->v.u = (h[CQL_H_FLAGS] & 0x08) != 0;)
DERIVE(cql_derive_flags_beta, out->kind = FIELD_BOOL; out->v.u = (h[CQL_H_FLAGS] & 0x10) != 0;)
DERIVE(cql_derive_stream, out->kind = FIELD_INT; out->v.i = (int64_t)h[CQL_H_STREAM];)
DERIVE(cql_derive_opcode,
       out->kind = FIELD_ENUM;
       out->v.u = h[CQL_H_OPCODE];
       out->text = cql_opcode_name((uint8_t)h[CQL_H_OPCODE]);)
DERIVE(cql_derive_message_length, out->kind = FIELD_UINT; out->v.u = h[CQL_H_LENGTH];)

FIELD_TABLE_DEFINE(cql_fields, CQL_FIELDS)
