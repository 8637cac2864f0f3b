/* fields.h - ScyllaDB inter-node RPC's fields (scylla.*): Wireshark's
 * names where its dissector has the field (scylla.verb, scylla.msg_id,
 * scylla.len, scylla.timeout, scylla.response.size,
 * scylla.response.request, scylla.negotiation.magic/size, scylla.mut.*,
 * scylla.read_data.*), tapline's elsewhere.
 * UUIDs are shown as UUIDs (Wireshark shows their wire bytes), times as
 * seconds.  X(id, name, KIND, flags, meaning[, ...]): src/base/field.h.
 */
#ifndef TAPLINE_SCYLLA_FIELDS_H
#define TAPLINE_SCYLLA_FIELDS_H

#include "base/field.h"

#define SCYLLA_FIELDS(X) \
	X(scylla_negotiation, "scylla.negotiation", TREE, 0, \
	  "the negotiation frame: what this side offers or accepts") \
	X(scylla_negotiation_magic, "scylla.negotiation.magic", STR, 0, \
	  "negotiation frame: SSTARRPC") \
	X(scylla_negotiation_size, "scylla.negotiation.size", UINT, 0, \
	  "negotiation frame: bytes of feature records") \
	X(scylla_feature, "scylla.feature", ENUM, 0, \
	  "a feature record: COMPRESS, TIMEOUT, CONNECTION_ID, " \
	  "STREAM_PARENT, ISOLATION, HANDLER_DURATION (one per record)", \
	  .values = scylla_feature_values) \
	X(scylla_compress, "scylla.compress", STR, 0, \
	  "COMPRESS: the client's algorithms in preference order, or the " \
	  "server's choice") \
	X(scylla_connection_id, "scylla.connection_id", UINT, 0, \
	  "CONNECTION_ID: the server's id of this connection (id << 16 | " \
	  "shard)") \
	X(scylla_stream_parent, "scylla.stream_parent", UINT, 0, \
	  "STREAM_PARENT: a stream connection, child of this connection id") \
	X(scylla_isolation, "scylla.isolation", STR, 0, \
	  "ISOLATION cookie: gossip, streaming, statement:<tenant>, " \
	  "statement-ack:<tenant>, forward:<tenant>") \
	X(scylla_connection_class, "scylla.connection.class", ENUM, \
	  FIELD_DEF_HEADER, \
	  "the connection's class, from its ISOLATION cookie", \
	  .values = scylla_class_values) \
	X(scylla_timeout, "scylla.timeout", UINT, FIELD_DEF_HEADER, \
	  "requests: milliseconds the sender waits (TIMEOUT negotiated; 0: " \
	  "none given)") \
	X(scylla_verb, "scylla.verb", ENUM, FIELD_DEF_HEADER, \
	  "the verb (responses: their request's), today's numbering 0-93", \
	  .values = scylla_verb_values) \
	X(scylla_msg_id, "scylla.msg_id", INT, FIELD_DEF_HEADER, \
	  "message id as sent; an exception carries minus its request's") \
	X(scylla_len, "scylla.len", UINT, FIELD_DEF_HEADER, \
	  "requests: data bytes after the header") \
	X(scylla_response_size, "scylla.response.size", UINT, \
	  FIELD_DEF_HEADER, "responses: data bytes after the header") \
	X(scylla_response_request, "scylla.response.request", UINT, \
	  FIELD_DEF_HEADER, "responses: the frame of their request", \
	  .derive = scylla_derive_response_request) \
	X(scylla_handler_duration, "scylla.handler_duration", TIME, \
	  FIELD_DEF_HEADER, \
	  "responses: seconds the server's handler ran (HANDLER_DURATION; " \
	  "absent when not measured)") \
	X(scylla_wire_time, "scylla.wire_time", TIME, FIELD_DEF_HEADER, \
	  "responses: seconds from request to response less the handler's " \
	  "(the network and the queues both ways)") \
	X(scylla_stream_len, "scylla.stream.len", UINT, FIELD_DEF_HEADER, \
	  "stream frames: data bytes") \
	X(scylla_stream_eos, "scylla.stream.eos", BOOL, FIELD_DEF_HEADER, \
	  "stream frames: end of stream (length 0xffffffff)") \
	X(scylla_compression, "scylla.compression", ENUM, FIELD_DEF_HEADER, \
	  "the frame came compressed: LZ4, LZ4_FRAGMENTED, SCYLLA_V3", \
	  .values = scylla_compression_values) \
	X(scylla_compressed_size, "scylla.compressed_size", UINT, \
	  FIELD_DEF_HEADER, "compressed frames: payload bytes on the wire") \
	X(scylla_v3_algorithm, "scylla.v3.algorithm", ENUM, 0, \
	  "SCYLLA_V3 frames: RAW, LZ4 or ZSTD with a trained dictionary", \
	  .values = scylla_v3_values) \
	X(scylla_exception, "scylla.exception", ENUM, 0, \
	  "exception responses: USER (the handler threw) or UNKNOWN_VERB", \
	  .values = scylla_exception_values) \
	X(scylla_exception_message, "scylla.exception.message", STR, 0, \
	  "USER exceptions: the message") \
	X(scylla_exception_verb, "scylla.exception.verb", ENUM, 0, \
	  "UNKNOWN_VERB exceptions: the verb the server has no handler for", \
	  .values = scylla_verb_values) \
	X(scylla_shard, "scylla.shard", UINT, 0, \
	  "the coordinator's shard to answer (MUTATION, MUTATION_DONE, ...)") \
	X(scylla_response_id, "scylla.response_id", UINT, 0, \
	  "ties MUTATION_DONE / MUTATION_FAILED to the write they answer") \
	X(scylla_reply_to, "scylla.reply_to", ADDR, 0, \
	  "the coordinator to answer") \
	X(scylla_reply_to_id, "scylla.reply_to_id", GFID, 0, \
	  "the coordinator's host id") \
	X(scylla_forward, "scylla.forward", ADDR, 0, \
	  "replicas this one forwards the write to (same datacenter)") \
	X(scylla_forward_id, "scylla.forward_id", GFID, 0, \
	  "their host ids") \
	X(scylla_trace_session, "scylla.trace.session_id", GFID, 0, \
	  "tracing session of a traced request") \
	X(scylla_fence, "scylla.fence", INT, 0, \
	  "fencing token: the topology version the sender saw") \
	X(scylla_rate_limit, "scylla.rate_limit", ENUM, 0, \
	  "per-partition rate limit info", .values = scylla_rate_limit_values) \
	X(scylla_backlog_current, "scylla.backlog.current", UINT, 0, \
	  "view update backlog: bytes") \
	X(scylla_backlog_max, "scylla.backlog.max", UINT, 0, \
	  "view update backlog: the most allowed") \
	X(scylla_large_data_violations, "scylla.large_data_violations", UINT, \
	  0, "MUTATION_DONE: large data guardrails the write crossed") \
	X(scylla_num_failed, "scylla.num_failed", UINT, 0, \
	  "MUTATION_FAILED: mutations that failed") \
	X(scylla_replica_exception, "scylla.replica_exception", ENUM, 0, \
	  "a replica's error (no_exception when none)", \
	  .values = scylla_replica_exception_values) \
	X(scylla_client_broadcast, "scylla.client_id.broadcast", ADDR, 0, \
	  "CLIENT_ID: the connecting node's broadcast address") \
	X(scylla_client_cpu, "scylla.client_id.cpu", UINT, 0, \
	  "CLIENT_ID: its shard") \
	X(scylla_client_max_result, "scylla.client_id.max_result_size", UINT, \
	  0, "CLIENT_ID: largest result it accepts, bytes") \
	X(scylla_client_host_id, "scylla.client_id.host_id", GFID, 0, \
	  "CLIENT_ID: its host id") \
	X(scylla_client_dst_host_id, "scylla.client_id.dst_host_id", GFID, 0, \
	  "CLIENT_ID: the host id it meant to reach") \
	X(scylla_client_generation, "scylla.client_id.generation", INT, 0, \
	  "CLIENT_ID: its gossip generation") \
	X(scylla_mut, "scylla.mut", TREE, 0, "a mutation (frozen_mutation)") \
	X(scylla_mut_size1, "scylla.mut.size1", UINT, 0, \
	  "frozen_mutation: bytes (Wireshark's name)") \
	X(scylla_mut_size2, "scylla.mut.size2", UINT, 0, \
	  "the mutation's size field (Wireshark's name)") \
	X(scylla_mut_table_id, "scylla.mut.table_id", GFID, 0, \
	  "the table written") \
	X(scylla_mut_schema_id, "scylla.mut.schema_id", GFID, 0, \
	  "the schema version the mutation is in") \
	X(scylla_mut_len_pkeys, "scylla.mut.len_pkeys", UINT, 0, \
	  "the partition key's size field (Wireshark's name)") \
	X(scylla_mut_num_pkeys, "scylla.mut.num_pkeys", UINT, 0, \
	  "partition key components") \
	X(scylla_mut_len_pkey, "scylla.mut.len_pkey", UINT, 0, \
	  "a partition key component's length") \
	X(scylla_mut_pkey, "scylla.mut.pkey", BYTES, 0, \
	  "a partition key component (its CQL serialized value)") \
	X(scylla_mut_tombstone, "scylla.mut.tombstone", TIME, 0, \
	  "partition deleted: the deletion's write time") \
	X(scylla_mut_static_cells, "scylla.mut.static_cells", UINT, 0, \
	  "cells of the static row") \
	X(scylla_mut_range_tombstones, "scylla.mut.range_tombstones", UINT, 0, \
	  "range deletions") \
	X(scylla_mut_rows, "scylla.mut.rows", UINT, 0, "rows written") \
	X(scylla_mut_row, "scylla.mut.row", TREE, 0, "a row") \
	X(scylla_mut_ckey, "scylla.mut.ckey", BYTES, 0, \
	  "a clustering key component") \
	X(scylla_mut_row_tombstone, "scylla.mut.row_tombstone", TIME, 0, \
	  "row deleted: the deletion's write time") \
	X(scylla_mut_cell, "scylla.mut.cell", TREE, 0, "a cell") \
	X(scylla_mut_column, "scylla.mut.column", UINT, 0, \
	  "the cell's column id") \
	X(scylla_mut_cell_kind, "scylla.mut.cell.kind", ENUM, 0, \
	  "live, expiring, dead (deleted), counter, collection", \
	  .values = scylla_cell_kind_values) \
	X(scylla_mut_timestamp, "scylla.mut.timestamp", TIME, 0, \
	  "the cell's write time") \
	X(scylla_mut_ttl, "scylla.mut.ttl", UINT, 0, \
	  "expiring cells: time to live, seconds") \
	X(scylla_mut_value, "scylla.mut.value", BYTES, 0, \
	  "the cell's value (CQL serialized)") \
	X(scylla_read_table_id, "scylla.read_data.table_id", GFID, 0, \
	  "reads: the table") \
	X(scylla_read_schema_version, "scylla.read_data.schema_version", GFID, 0, \
	  "reads: the schema version") \
	X(scylla_read_static_columns, "scylla.read_data.static_columns", UINT, 0, \
	  "reads: static column ids asked for") \
	X(scylla_read_columns, "scylla.read_data.columns", UINT, 0, \
	  "reads: regular column ids asked for") \
	X(scylla_read_options, "scylla.read_data.options", FLAGS, 0, \
	  "reads: partition_slice options") \
	X(scylla_read_row_limit, "scylla.read_data.row_limit", UINT, 0, \
	  "reads: most rows") \
	X(scylla_read_partition_limit, "scylla.read_data.partition_limit", UINT, 0, \
	  "reads: most partitions") \
	X(scylla_read_time, "scylla.read_data.time", TIME, 0, \
	  "reads: the query's time (gc_clock, seconds)") \
	X(scylla_read_query_id, "scylla.read_data.query_id", GFID, 0, \
	  "reads: the paged query's id") \
	X(scylla_read_first_page, "scylla.read_data.first_page", BOOL, 0, \
	  "reads: the first page of a query") \
	X(scylla_read_max_result_size, "scylla.read_data.max_result_size", UINT, 0, \
	  "reads: the hard limit of the result, bytes") \
	X(scylla_read_tombstone_limit, "scylla.read_data.tombstone_limit", UINT, 0, \
	  "reads: tombstones read before a page ends") \
	X(scylla_read_token, "scylla.read_data.token", INT, 0, \
	  "reads: the partition's token (Murmur3)") \
	X(scylla_read_pkey, "scylla.read_data.pkey", BYTES, 0, \
	  "reads: a partition key component") \
	X(scylla_read_digest_algorithm, "scylla.read_data.digest_algorithm", ENUM, \
	  0, "reads: none, MD5, xxHash", .values = scylla_digest_values) \
	X(scylla_result_size, "scylla.result.size", UINT, 0, \
	  "READ_DATA responses: bytes of rows") \
	X(scylla_result_partitions, "scylla.result.partitions", UINT, 0, \
	  "read responses: partitions in the result") \
	X(scylla_result_rows, "scylla.result.rows", UINT, 0, \
	  "read responses: rows in the result") \
	X(scylla_result_pkey, "scylla.result.pkey", BYTES, 0, \
	  "read responses: a partition key component") \
	X(scylla_result_value, "scylla.result.value", BYTES, 0, \
	  "read responses: a cell's value (CQL serialized)") \
	X(scylla_result_digest, "scylla.result.digest", BYTES, 0, \
	  "read responses: the digest of the result") \
	X(scylla_result_last_modified, "scylla.result.last_modified", TIME, 0, \
	  "read responses: the newest write time seen") \
	X(scylla_result_short_read, "scylla.result.short_read", BOOL, 0, \
	  "read responses: the page ended early") \
	X(scylla_cache_temperature, "scylla.cache_temperature", UINT, 0, \
	  "read responses: the replica's cache hit rate, 0-255") \
	X(scylla_gossip_cluster_id, "scylla.gossip.cluster_id", STR, 0, \
	  "GOSSIP_DIGEST_SYN: the cluster's name") \
	X(scylla_gossip_partitioner, "scylla.gossip.partitioner", STR, 0, \
	  "GOSSIP_DIGEST_SYN: the partitioner") \
	X(scylla_gossip_group0_id, "scylla.gossip.group0_id", GFID, 0, \
	  "GOSSIP_DIGEST_SYN: the Raft group 0") \
	X(scylla_gossip_recovery_leader, "scylla.gossip.recovery_leader", GFID, \
	  0, "GOSSIP_DIGEST_SYN: the recovery leader (null: none)") \
	X(scylla_gossip_digest, "scylla.gossip.digest", TREE, 0, \
	  "a gossip digest: an endpoint's generation and newest version") \
	X(scylla_gossip_endpoint, "scylla.gossip.endpoint", ADDR, 0, \
	  "the endpoint a digest or state is about") \
	X(scylla_gossip_generation, "scylla.gossip.generation", INT, 0, \
	  "its generation (start time, seconds)") \
	X(scylla_gossip_max_version, "scylla.gossip.max_version", INT, 0, \
	  "digests: the newest version known") \
	X(scylla_gossip_state, "scylla.gossip.state", TREE, 0, \
	  "an endpoint's state") \
	X(scylla_gossip_heart_beat, "scylla.gossip.heart_beat", INT, 0, \
	  "states: the heart beat version") \
	X(scylla_gossip_app_state, "scylla.gossip.app_state", ENUM, 0, \
	  "an application state: STATUS, LOAD, SCHEMA, DC, RACK, ...", \
	  .values = scylla_app_state_values) \
	X(scylla_gossip_app_value, "scylla.gossip.app_value", STR, 0, \
	  "its value") \
	X(scylla_gossip_app_version, "scylla.gossip.app_version", INT, 0, \
	  "its version") \
	X(scylla_gossip_notify_up, "scylla.gossip.notify_up", BOOL, 0, \
	  "GOSSIP_ECHO: mark the sender up") \
	X(scylla_paxos_ballot, "scylla.paxos.ballot", GFID, 0, \
	  "Paxos: the round's ballot (a time UUID)") \
	X(scylla_paxos_pkey, "scylla.paxos.pkey", BYTES, 0, \
	  "PAXOS_PREPARE/PRUNE: a partition key component") \
	X(scylla_paxos_only_digest, "scylla.paxos.only_digest", BOOL, 0, \
	  "PAXOS_PREPARE: answer with a digest, not the data") \
	X(scylla_paxos_promised, "scylla.paxos.promised", BOOL, 0, \
	  "PAXOS_PREPARE's response: a promise (1) or a newer ballot (0)") \
	X(scylla_paxos_newer_ballot, "scylla.paxos.newer_ballot", GFID, 0, \
	  "PAXOS_PREPARE refused: the ballot promised already") \
	X(scylla_paxos_accepted_ballot, "scylla.paxos.accepted_ballot", GFID, \
	  0, "promises: the ballot of a proposal accepted before") \
	X(scylla_paxos_commit_ballot, "scylla.paxos.commit_ballot", GFID, 0, \
	  "promises: the ballot of the latest commit") \
	X(scylla_paxos_accepted, "scylla.paxos.accepted", BOOL, 0, \
	  "PAXOS_ACCEPT's response: the proposal was accepted") \
	X(scylla_paxos_schema_version, "scylla.paxos.schema_version", GFID, 0, \
	  "PAXOS_PRUNE: the table's schema version") \
	X(scylla_stream_plan_id, "scylla.stream.plan_id", GFID, 0, \
	  "streaming: the plan") \
	X(scylla_stream_schema_id, "scylla.stream.schema_id", GFID, 0, \
	  "streaming: the schema version") \
	X(scylla_stream_table_id, "scylla.stream.table_id", GFID, 0, \
	  "streaming: the table") \
	X(scylla_stream_estimated_partitions, \
	  "scylla.stream.estimated_partitions", UINT, 0, \
	  "streaming: partitions expected") \
	X(scylla_stream_reason, "scylla.stream.reason", ENUM, 0, \
	  "streaming: bootstrap, decommission, repair, ...", \
	  .values = scylla_stream_reason_values) \
	X(scylla_stream_sink, "scylla.stream.sink", UINT, 0, \
	  "the stream connection's id passed as a sink") \
	X(scylla_stream_source, "scylla.stream.source", UINT, 0, \
	  "the stream connection's id returned as a source") \
	X(scylla_stream_session_id, "scylla.stream.session_id", GFID, 0, \
	  "streaming: the topology session") \
	X(scylla_stream_fragment_len, "scylla.stream.fragment_len", UINT, 0, \
	  "stream frames: bytes of a mutation fragment") \
	X(scylla_stream_cmd, "scylla.stream.cmd", ENUM, 0, \
	  "stream frames: error, mutation_fragment_data, end_of_stream", \
	  .values = scylla_stream_cmd_values) \
	X(scylla_stream_status, "scylla.stream.status", INT, 0, \
	  "stream frames back to the sender: its status")

FIELD_TABLE_DECLARE(scylla_fields, SCYLLA_FIELDS)

/* The registry's entry (protocol.c): the derived fields' messages are
 * those whose proto is this one. */
extern const struct protocol scylla_protocol;

#endif
