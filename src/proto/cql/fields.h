/* fields.h - CQL's fields (cql.*): Wireshark's names where it has them
 * (docs/cql.md), tapline's for what it does not decode (v5 segments,
 * typed cells, errors' details, events, ScyllaDB's extensions).
 * X(id, name, KIND, flags, meaning[, ...]): src/base/field.h. */
#ifndef TAPLINE_CQL_FIELDS_H
#define TAPLINE_CQL_FIELDS_H

#include "base/field.h"

extern const struct value_name cql_opcode_names[], cql_consistency_names[],
	cql_result_kind_names[], cql_error_names[], cql_data_type_names[],
	cql_batch_type_names[], cql_direction_names[], cql_compression_names[];

#define CQL_HDR FIELD_DEF_HEADER

#define CQL_FIELDS(X) \
	/* the frame (v1-v4) or envelope (v5) header */ \
	X(cql_version, "cql.version", HEX, CQL_HDR, \
	  "version byte: protocol version, 0x80 on responses", \
	  .derive = cql_derive_version) \
	X(cql_protocol_version, "cql.protocol_version", UINT, CQL_HDR, \
	  "protocol version 1-5, or 0x41/0x42 for a driver's DSE probe", \
	  .derive = cql_derive_protocol_version) \
	X(cql_direction, "cql.direction", ENUM, CQL_HDR, \
	  "0 request, 8 response (the version byte's high nibble)", \
	  .values = cql_direction_names, \
	  .derive = cql_derive_direction) \
	X(cql_flags, "cql.flags", HEX, CQL_HDR, \
	  "header flags: 0x01 compression, 0x02 tracing, 0x04 custom payload, 0x08 warning, 0x10 beta", \
	  .derive = cql_derive_flags) \
	X(cql_flags_compression, "cql.flags.compression", BOOL, CQL_HDR, "the body is compressed", \
	  .derive = cql_derive_flags_compression) \
	X(cql_flags_tracing, "cql.flags.tracing", BOOL, CQL_HDR, "tracing asked (requests) or a tracing id (responses)", \
	  .derive = cql_derive_flags_tracing) \
	X(cql_flags_custom_payload, "cql.flags.custom_payload", BOOL, CQL_HDR, "a custom payload precedes the body", \
	  .derive = cql_derive_flags_custom_payload) \
	X(cql_flags_warning, "cql.flags.warning", BOOL, CQL_HDR, "warnings precede the body", \
	  .derive = cql_derive_flags_warning) \
	X(cql_flags_beta, "cql.flags.beta", BOOL, CQL_HDR, "v5: the client opts into a beta version", \
	  .derive = cql_derive_flags_beta) \
	X(cql_stream, "cql.stream", INT, CQL_HDR, \
	  "stream id: a response carries its request's; -1 for events", \
	  .derive = cql_derive_stream) \
	X(cql_opcode, "cql.opcode", ENUM, CQL_HDR, "operation", .values = cql_opcode_names, \
	  .derive = cql_derive_opcode) \
	X(cql_message_length, "cql.message_length", UINT, CQL_HDR, "body length in the header", \
	  .derive = cql_derive_message_length) \
	/* compression and v5 segments */ \
	X(cql_compression, "cql.compression", ENUM, 0, \
	  "how the body came compressed (STARTUP's COMPRESSION)", .values = cql_compression_names) \
	X(cql_uncompressed_length, "cql.uncompressed_length", UINT, 0, "body length after decompression") \
	X(cql_segment_count, "cql.segment.count", UINT, 0, "v5: segments that carried the envelope, when more than one") \
	X(cql_segment, "cql.segment", TREE, 0, "v5: a segment that carried the envelope (the first 8 shown)") \
	X(cql_segment_length, "cql.segment.length", UINT, 0, "v5 segment: payload bytes on the wire") \
	X(cql_segment_uncompressed_length, "cql.segment.uncompressed_length", UINT, 0, \
	  "v5 lz4 segment: payload length after decompression, 0 stored as is") \
	X(cql_segment_self_contained, "cql.segment.self_contained", BOOL, 0, \
	  "v5 segment: holds whole envelopes (else a part of one)") \
	X(cql_segment_header_crc, "cql.segment.header_crc", HEX, 0, "v5 segment: CRC24 of the header, as sent") \
	X(cql_segment_payload_crc, "cql.segment.payload_crc", HEX, 0, "v5 segment: CRC32 of the payload, as sent") \
	X(cql_segment_crc_ok, "cql.segment.crc_ok", BOOL, 0, "v5 segment: both CRCs right") \
	/* body prefix */ \
	X(cql_tracing_id, "cql.tracing_id", GFID, 0, "responses: the tracing session's id") \
	X(cql_warning, "cql.warning", STR, 0, "a warning of the server") \
	X(cql_custom_payload_key, "cql.custom_payload.key", STR, 0, "custom payload: a key") \
	X(cql_custom_payload_value, "cql.custom_payload.value", BYTES, 0, "custom payload: its value") \
	X(cql_tablets_first_token, "cql.tablets.first_token", INT, 0, \
	  "ScyllaDB tablets routing: the tablet's first token (exclusive)") \
	X(cql_tablets_last_token, "cql.tablets.last_token", INT, 0, \
	  "ScyllaDB tablets routing: the tablet's last token") \
	X(cql_tablets_replica, "cql.tablets.replica", STR, 0, \
	  "ScyllaDB tablets routing: a replica, host id/shard") \
	/* STARTUP, OPTIONS/SUPPORTED, authentication, REGISTER, EVENT */ \
	X(cql_option, "cql.option", STR, 0, "STARTUP: an option as NAME=value") \
	X(cql_supported, "cql.supported", STR, 0, "SUPPORTED: an option and its values, NAME=v1,v2") \
	X(cql_scylla_extension, "cql.scylla.extension", STR, 0, \
	  "SUPPORTED: a ScyllaDB protocol extension offered (SCYLLA_SHARD, TABLETS_ROUTING_V1, ...)") \
	X(cql_scylla_shard, "cql.scylla.shard", UINT, 0, "SUPPORTED: the ScyllaDB shard this connection serves") \
	X(cql_scylla_nr_shards, "cql.scylla.nr_shards", UINT, 0, "SUPPORTED: ScyllaDB shards on the node") \
	X(cql_scylla_rate_limit_code, "cql.scylla.rate_limit_error_code", INT, 0, \
	  "SUPPORTED: the error code ScyllaDB uses for its rate limit error") \
	X(cql_authenticator, "cql.authenticator", STR, 0, "AUTHENTICATE: the server's authenticator class") \
	X(cql_auth_token_length, "cql.auth_token_length", INT, 0, \
	  "AUTH_RESPONSE/CHALLENGE/SUCCESS: token length (the token is not shown), -1 null") \
	X(cql_credentials_user, "cql.credentials.username", STR, 0, "v1 CREDENTIALS: the user (the password is not shown)") \
	X(cql_event_type, "cql.event_type", STR, 0, "REGISTER/EVENT: an event type") \
	X(cql_event_change, "cql.event.change", STR, 0, "EVENT: NEW_NODE, UP, CREATED, ...") \
	X(cql_event_address, "cql.event.address", STR, 0, "topology/status EVENT: the node") \
	/* QUERY, PREPARE, EXECUTE, BATCH */ \
	X(cql_query, "cql.query", STR, 0, \
	  "the CQL statement (EXECUTE and responses: the request's, its first 1023 bytes; EXECUTE's when its PREPARE was seen)") \
	X(cql_consistency, "cql.consistency", ENUM, 0, "consistency level", .values = cql_consistency_names) \
	X(cql_query_flags, "cql.query.flags", HEX, 0, "query parameters' flags") \
	X(cql_value_count, "cql.value_count", UINT, 0, "bound values") \
	X(cql_value_name, "cql.value.name", STR, 0, "a bound value's name (named values)") \
	X(cql_value, "cql.value", STR, 0, \
	  "a bound value, by its type when the prepared metadata is known (else 0x hex), null, unset") \
	X(cql_page_size, "cql.page_size", INT, 0, "rows per page asked") \
	X(cql_paging_state, "cql.paging_state", BYTES, 0, "where the next page starts") \
	X(cql_serial_consistency, "cql.serial_consistency", ENUM, 0, \
	  "consistency of the serial phase", .values = cql_consistency_names) \
	X(cql_timestamp, "cql.timestamp", TIME, 0, "the default timestamp (microseconds since the epoch)") \
	X(cql_keyspace, "cql.keyspace", STR, 0, "keyspace (v5 requests, Set_keyspace results)") \
	X(cql_now_in_seconds, "cql.now_in_seconds", INT, 0, "v5: the server's now, for testing") \
	X(cql_query_id, "cql.query_id", BYTES, 0, "prepared statement id") \
	X(cql_result_metadata_id, "cql.result_metadata_id", BYTES, 0, "v5: the result metadata's id") \
	X(cql_batch_type, "cql.batch_type", ENUM, 0, "BATCH: logged, unlogged, counter", .values = cql_batch_type_names) \
	X(cql_batch_query_size, "cql.batch_query_size", UINT, 0, "BATCH: statements") \
	X(cql_batch_statement, "cql.batch.statement", TREE, 0, "BATCH: one statement") \
	/* RESULT */ \
	X(cql_result_kind, "cql.result.kind", ENUM, 0, "RESULT kind", .values = cql_result_kind_names) \
	X(cql_result_rows_flags, "cql.result.rows.flags", HEX, 0, \
	  "metadata flags: 1 global table spec, 2 more pages, 4 no metadata, 8 metadata changed") \
	X(cql_result_rows_column_count, "cql.result.rows.column_count", UINT, 0, "columns") \
	X(cql_result_rows_keyspace_name, "cql.result.rows.keyspace_name", STR, 0, "the columns' keyspace") \
	X(cql_result_rows_table_name, "cql.result.rows.table_name", STR, 0, "the columns' table") \
	X(cql_result_rows_column, "cql.result.rows.column", TREE, 0, "a column's (or bind marker's) spec") \
	X(cql_result_rows_column_name, "cql.result.rows.column_name", STR, 0, "a column (or bind marker)") \
	X(cql_data_type, "cql.data_type", ENUM, 0, "a column's type id", .values = cql_data_type_names) \
	X(cql_column_type, "cql.column_type", STR, 0, "a column's type in CQL (list<int>, ks.udt, ...)") \
	X(cql_new_metadata_id, "cql.result.new_metadata_id", BYTES, 0, "v5 Metadata_changed: the new id") \
	X(cql_result_rows_row_count, "cql.result.rows.row_count", UINT, 0, "rows in this page") \
	X(cql_row, "cql.row", TREE, 0, "one row") \
	X(cql_cell, "cql.cell", STR, 0, \
	  "a cell, by its column's type (CQL literals; 0x hex when the type is not known)") \
	X(cql_cells_elided, "cql.result.cells_elided", UINT, 0, "cells not shown (past the message's room)") \
	X(cql_pk_index, "cql.prepared.pk_index", UINT, 0, "Prepared: a partition key's bind marker") \
	X(cql_bind_metadata, "cql.prepared.bind", TREE, 0, "Prepared: the bind markers") \
	X(cql_result_metadata, "cql.prepared.result", TREE, 0, "Prepared: the result's columns") \
	X(cql_schema_change, "cql.schema.change", STR, 0, "CREATED, UPDATED, DROPPED") \
	X(cql_schema_target, "cql.schema.target", STR, 0, "KEYSPACE, TABLE, TYPE, FUNCTION, AGGREGATE") \
	X(cql_schema_keyspace, "cql.schema.keyspace", STR, 0, "the changed keyspace") \
	X(cql_schema_name, "cql.schema.name", STR, 0, "the changed table, type, function or aggregate") \
	X(cql_schema_arg, "cql.schema.arg_type", STR, 0, "a changed function's argument type") \
	/* ERROR */ \
	X(cql_error_code, "cql.error_code", ENUM, 0, "error code", .values = cql_error_names) \
	X(cql_error_message, "cql.error_message", STR, 0, "the server's message") \
	X(cql_error_consistency, "cql.error.consistency", ENUM, 0, \
	  "the failed request's consistency", .values = cql_consistency_names) \
	X(cql_error_required, "cql.error.required", INT, 0, "Unavailable: replicas needed") \
	X(cql_error_alive, "cql.error.alive", INT, 0, "Unavailable: replicas alive") \
	X(cql_error_received, "cql.error.received", INT, 0, "timeouts and failures: replicas that answered") \
	X(cql_error_block_for, "cql.error.block_for", INT, 0, "timeouts and failures: answers needed") \
	X(cql_error_write_type, "cql.error.write_type", STR, 0, "write timeouts and failures: SIMPLE, BATCH, CAS, ...") \
	X(cql_error_contentions, "cql.error.contentions", UINT, 0, "v5 CAS write timeout: contentions") \
	X(cql_error_data_present, "cql.error.data_present", BOOL, 0, "read timeouts and failures: the data replica answered") \
	X(cql_error_num_failures, "cql.error.num_failures", INT, 0, "v4 read/write failures: replicas that failed") \
	X(cql_error_reason, "cql.error.reason", STR, 0, "v5 read/write failures: a replica and its failure code") \
	X(cql_error_keyspace, "cql.error.keyspace", STR, 0, "Already_exists, Function_failure: the keyspace") \
	X(cql_error_table, "cql.error.table", STR, 0, "Already_exists: the table (empty for a keyspace)") \
	X(cql_error_function, "cql.error.function", STR, 0, "Function_failure: the function") \
	X(cql_error_arg_type, "cql.error.arg_type", STR, 0, "Function_failure: an argument type") \
	X(cql_error_unprepared_id, "cql.error.unprepared_id", BYTES, 0, "Unprepared: the unknown id") \
	X(cql_error_rate_limit_op, "cql.error.rate_limit_op", STR, 0, "ScyllaDB rate limit error: read or write") \
	X(cql_error_rejected_by_coordinator, "cql.error.rejected_by_coordinator", BOOL, 0, \
	  "ScyllaDB rate limit error: refused by the coordinator (else replicas)")

FIELD_TABLE_DECLARE(cql_fields, CQL_FIELDS)

#endif
