/* fields.c - ScyllaDB RPC's field table and the names of its values
 * (docs/scylla.md; the verbs' names are verbs.c's list). */
#include "fields.h"

#include "base/message.h"
#include "verbs.h"

static const struct value_name scylla_feature_values[] = {
	{ 0, "COMPRESS" }, { 1, "TIMEOUT" }, { 2, "CONNECTION_ID" },
	{ 3, "STREAM_PARENT" }, { 4, "ISOLATION" }, { 5, "HANDLER_DURATION" },
	{ 0, NULL },
};

static const struct value_name scylla_class_values[] = {
	{ SCYLLA_CLASS_NONE, "none" }, { SCYLLA_CLASS_GOSSIP, "gossip" },
	{ SCYLLA_CLASS_STREAMING, "streaming" },
	{ SCYLLA_CLASS_STATEMENT, "statement" },
	{ SCYLLA_CLASS_STATEMENT_ACK, "statement-ack" },
	{ SCYLLA_CLASS_FORWARD, "forward" }, { SCYLLA_CLASS_OTHER, "other" },
	{ 0, NULL },
};

static const struct value_name scylla_compression_values[] = {
	{ 1, "LZ4" }, { 2, "LZ4_FRAGMENTED" }, { 3, "SCYLLA_V3" },
	{ 4, "unknown" }, { 0, NULL },
};

static const struct value_name scylla_v3_values[] = {
	{ 0, "RAW" }, { 1, "LZ4+dictionary" }, { 2, "ZSTD+dictionary" },
	{ 0, NULL },
};

static const struct value_name scylla_exception_values[] = {
	{ 0, "USER" }, { 1, "UNKNOWN_VERB" }, { 0, NULL },
};

static const struct value_name scylla_rate_limit_values[] = {
	{ 0, "none" }, { 1, "account_only" }, { 2, "account_and_enforce" },
	{ 0, NULL },
};

static const struct value_name scylla_replica_exception_values[] = {
	{ 0, "unknown_exception" }, { 1, "no_exception" },
	{ 2, "rate_limit_exception" }, { 3, "stale_topology_exception" },
	{ 4, "abort_requested_exception" },
	{ 5, "critical_disk_utilization_exception" },
	{ 6, "large_data_exception" }, { 0, NULL },
};

static const struct value_name scylla_cell_kind_values[] = {
	{ 0, "live" }, { 1, "expiring" }, { 2, "dead" }, { 3, "counter" },
	{ 4, "collection" }, { 0, NULL },
};

static const struct value_name scylla_digest_values[] = {
	{ 0, "none" }, { 1, "MD5" }, { 2, "xxHash" }, { 0, NULL },
};

/* gms::application_state (gms/application_state.hh) */
static const struct value_name scylla_app_state_values[] = {
	{ 0, "STATUS" }, { 1, "LOAD" }, { 2, "SCHEMA" }, { 3, "DC" },
	{ 4, "RACK" }, { 5, "RELEASE_VERSION" }, { 6, "REMOVAL_COORDINATOR" },
	{ 7, "INTERNAL_IP" }, { 8, "RPC_ADDRESS" }, { 9, "X_11_PADDING" },
	{ 10, "SEVERITY" }, { 11, "NET_VERSION" }, { 12, "HOST_ID" },
	{ 13, "TOKENS" }, { 14, "SUPPORTED_FEATURES" },
	{ 15, "CACHE_HITRATES" }, { 16, "SCHEMA_TABLES_VERSION" },
	{ 17, "RPC_READY" }, { 18, "VIEW_BACKLOG" }, { 19, "SHARD_COUNT" },
	{ 20, "IGNORE_MSB_BITS" }, { 21, "CDC_GENERATION_ID" },
	{ 22, "SNITCH_NAME" }, { 23, "GROUP0_STATE_ID" }, { 0, NULL },
};

static const struct value_name scylla_stream_reason_values[] = {
	{ 0, "unspecified" }, { 1, "bootstrap" }, { 2, "decommission" },
	{ 3, "removenode" }, { 4, "rebuild" }, { 5, "repair" },
	{ 6, "replace" }, { 0, NULL },
};

static const struct value_name scylla_stream_cmd_values[] = {
	{ 0, "error" }, { 1, "mutation_fragment_data" },
	{ 2, "end_of_stream" }, { 0, NULL },
};

/* Wireshark's link from a response to its request, from the exchange */
FIELD_DERIVE(scylla_derive_response_request)
{
	f->kind = FIELD_UINT;
	f->v.u = m->exchange.request_frame;
	return m->proto == &scylla_protocol &&
	       m->exchange.kind == EXCHANGE_RESPONSE &&
	       m->exchange.request_frame;
}

FIELD_TABLE_DEFINE(scylla_fields, SCYLLA_FIELDS)
