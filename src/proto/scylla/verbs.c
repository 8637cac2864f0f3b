/* verbs.c - the verb table (docs/scylla.md, "Verbs"): ScyllaDB's
 * messaging_verb numbering, the IDL's [[one_way]] and [[with_timeout]],
 * and do_get_rpc_client_idx's connection classes.
 */
#include <stddef.h>
#include <string.h>

#include "verbs.h"

#define OW SCYLLA_VERB_ONE_WAY
#define TO SCYLLA_VERB_TIMEOUT
#define UN SCYLLA_VERB_UNUSED
#define GOS SCYLLA_CLASS_GOSSIP
#define STR SCYLLA_CLASS_STREAMING
#define STM SCYLLA_CLASS_STATEMENT
#define ACK SCYLLA_CLASS_STATEMENT_ACK
#define FWD SCYLLA_CLASS_FORWARD

/* X(number, NAME, flags, class): the one list of the verb table and of
 * scylla.verb's value names */
#define SCYLLA_VERBS(X) \
	X(0, CLIENT_ID, OW, STM) \
	X(1, MUTATION, OW | TO, STM) \
	X(2, MUTATION_DONE, OW, ACK) \
	X(3, READ_DATA, TO, STM) \
	X(4, READ_MUTATION_DATA, TO, STM) \
	X(5, READ_DIGEST, TO, STM) \
	X(6, GOSSIP_DIGEST_SYN, OW, GOS) \
	X(7, GOSSIP_DIGEST_ACK, OW, GOS) \
	X(8, GOSSIP_DIGEST_ACK2, OW, GOS) \
	X(9, GOSSIP_ECHO, TO, GOS) \
	X(10, GOSSIP_SHUTDOWN, OW, GOS) \
	X(11, UNUSED__DEFINITIONS_UPDATE, UN, STM) \
	X(12, TRUNCATE, TO, STM) \
	X(13, UNUSED__REPLICATION_FINISHED, UN, STR) \
	X(14, MIGRATION_REQUEST, 0, STM) \
	X(15, PREPARE_MESSAGE, 0, STR) \
	X(16, PREPARE_DONE_MESSAGE, 0, STR) \
	X(17, UNUSED__STREAM_MUTATION, UN, STR) \
	X(18, STREAM_MUTATION_DONE, 0, STR) \
	X(19, COMPLETE_MESSAGE, 0, STR) \
	X(20, UNUSED__REPAIR_CHECKSUM_RANGE, UN, STR) \
	X(21, GET_SCHEMA_VERSION, 0, GOS) \
	X(22, SCHEMA_CHECK, 0, STM) \
	X(23, COUNTER_MUTATION, TO, STM) \
	X(24, MUTATION_FAILED, OW, ACK) \
	X(25, STREAM_MUTATION_FRAGMENTS, 0, STR) \
	X(26, REPAIR_ROW_LEVEL_START, 0, STR) \
	X(27, REPAIR_ROW_LEVEL_STOP, 0, STR) \
	X(28, REPAIR_GET_FULL_ROW_HASHES, 0, STR) \
	X(29, REPAIR_GET_COMBINED_ROW_HASH, 0, STR) \
	X(30, REPAIR_GET_SYNC_BOUNDARY, 0, STR) \
	X(31, REPAIR_GET_ROW_DIFF, 0, STR) \
	X(32, REPAIR_PUT_ROW_DIFF, 0, STR) \
	X(33, REPAIR_GET_ESTIMATED_PARTITIONS, 0, STR) \
	X(34, REPAIR_SET_ESTIMATED_PARTITIONS, 0, STR) \
	X(35, REPAIR_GET_DIFF_ALGORITHMS, 0, STR) \
	X(36, REPAIR_GET_ROW_DIFF_WITH_RPC_STREAM, 0, STR) \
	X(37, REPAIR_PUT_ROW_DIFF_WITH_RPC_STREAM, 0, STR) \
	X(38, REPAIR_GET_FULL_ROW_HASHES_WITH_RPC_STREAM, 0, STR) \
	X(39, PAXOS_PREPARE, TO, STM) \
	X(40, PAXOS_ACCEPT, TO, STM) \
	X(41, PAXOS_LEARN, OW | TO, STM) \
	X(42, HINT_MUTATION, OW | TO, STR) \
	X(43, PAXOS_PRUNE, OW | TO, STM) \
	X(44, GOSSIP_GET_ENDPOINT_STATES, TO, GOS) \
	X(45, NODE_OPS_CMD, 0, STR) \
	X(46, RAFT_SEND_SNAPSHOT, TO, GOS) \
	X(47, RAFT_APPEND_ENTRIES, OW | TO, GOS) \
	X(48, RAFT_APPEND_ENTRIES_REPLY, OW | TO, GOS) \
	X(49, RAFT_VOTE_REQUEST, OW | TO, GOS) \
	X(50, RAFT_VOTE_REPLY, OW | TO, GOS) \
	X(51, RAFT_TIMEOUT_NOW, OW | TO, GOS) \
	X(52, RAFT_READ_QUORUM, OW | TO, GOS) \
	X(53, RAFT_READ_QUORUM_REPLY, OW | TO, GOS) \
	X(54, RAFT_EXECUTE_READ_BARRIER_ON_LEADER, TO, GOS) \
	X(55, RAFT_ADD_ENTRY, TO, GOS) \
	X(56, RAFT_MODIFY_CONFIG, TO, GOS) \
	X(57, GROUP0_PEER_EXCHANGE, TO, GOS) \
	X(58, GROUP0_MODIFY_CONFIG, TO, GOS) \
	X(59, REPAIR_UPDATE_SYSTEM_TABLE, 0, STR) \
	X(60, REPAIR_FLUSH_HINTS_BATCHLOG, 0, STR) \
	X(61, MAPREDUCE_REQUEST, 0, FWD) \
	X(62, GET_GROUP0_UPGRADE_STATE, 0, GOS) \
	X(63, DIRECT_FD_PING, TO, GOS) \
	X(64, RAFT_TOPOLOGY_CMD, 0, GOS) \
	X(65, RAFT_PULL_SNAPSHOT, 0, GOS) \
	X(66, TABLET_STREAM_DATA, 0, STR) \
	X(67, TABLET_CLEANUP, 0, STR) \
	X(68, JOIN_NODE_REQUEST, 0, GOS) \
	X(69, JOIN_NODE_RESPONSE, 0, GOS) \
	X(70, TABLET_STREAM_FILES, 0, STR) \
	X(71, STREAM_BLOB, 0, STR) \
	X(72, TABLE_LOAD_STATS_V1, 0, STR) \
	X(73, JOIN_NODE_QUERY, 0, GOS) \
	X(74, TASKS_GET_CHILDREN, 0, GOS) \
	X(75, TABLET_REPAIR, 0, STR) \
	X(76, TRUNCATE_WITH_TABLETS, 0, STM) \
	X(77, TABLE_LOAD_STATS, 0, STR) \
	X(78, ESTIMATE_SSTABLE_VOLUME, 0, STM) \
	X(79, SAMPLE_SSTABLES, 0, STM) \
	X(80, REPAIR_UPDATE_COMPACTION_CTRL, 0, STR) \
	X(81, REPAIR_UPDATE_REPAIRED_AT_FOR_MERGE, 0, STR) \
	X(82, WORK_ON_VIEW_BUILDING_TASKS, 0, STR) \
	X(83, NOTIFY_BANNED, OW, GOS) \
	X(84, SNAPSHOT_WITH_TABLETS, 0, STR) \
	X(85, RAFT_READ_BARRIER, TO, GOS) \
	X(86, FORWARD_CQL_EXECUTE, TO, STM) \
	X(87, FORWARD_CQL_PREPARE, TO, STM) \
	X(88, RESTORE_TABLET, 0, STR) \
	X(89, WAIT_FOR_RAFT_GROUPS_TO_START, TO, STR) \
	X(90, CLONE_SSTABLE, 0, STR) \
	X(91, FETCH_COLUMN_MAPPINGS, 0, STM) \
	X(92, REPAIR_GET_TABLE_SIZE, 0, STR) \
	X(93, BACKUP_SNAPSHOT_SSTABLES, 0, STR)

#define VERB_INFO_(n, name, flags, cls) [n] = { #name, flags, cls },
static const struct scylla_verb_info verbs[SCYLLA_VERB_COUNT] = {
	SCYLLA_VERBS(VERB_INFO_)
};

#define VERB_VALUE_(n, name, flags, cls) { n, #name },
const struct value_name scylla_verb_values[] = {
	SCYLLA_VERBS(VERB_VALUE_) { 0, NULL },
};

const struct scylla_verb_info *scylla_verb(uint64_t verb)
{
	return verb < SCYLLA_VERB_COUNT ? &verbs[verb] : NULL;
}

const char *scylla_verb_name(uint64_t verb)
{
	return verb < SCYLLA_VERB_COUNT ? verbs[verb].name : NULL;
}

static bool has_prefix(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && !memcmp(s, prefix, n);
}

enum scylla_conn_class scylla_cookie_class(const char *cookie, size_t len)
{
	if (!len)
		return SCYLLA_CLASS_NONE;
	if (len == 6 && !memcmp(cookie, "gossip", 6))
		return SCYLLA_CLASS_GOSSIP;
	if (len == 9 && !memcmp(cookie, "streaming", 9))
		return SCYLLA_CLASS_STREAMING;
	/* statement-ack: before statement: (both begin "statement") */
	if (has_prefix(cookie, len, "statement-ack:"))
		return SCYLLA_CLASS_STATEMENT_ACK;
	if (has_prefix(cookie, len, "statement:"))
		return SCYLLA_CLASS_STATEMENT;
	if (has_prefix(cookie, len, "forward:"))
		return SCYLLA_CLASS_FORWARD;
	return SCYLLA_CLASS_OTHER;
}

const char *scylla_conn_class_name(unsigned conn_class)
{
	static const char *const names[] = {
		[SCYLLA_CLASS_NONE] = "none",
		[SCYLLA_CLASS_GOSSIP] = "gossip",
		[SCYLLA_CLASS_STREAMING] = "streaming",
		[SCYLLA_CLASS_STATEMENT] = "statement",
		[SCYLLA_CLASS_STATEMENT_ACK] = "statement-ack",
		[SCYLLA_CLASS_FORWARD] = "forward",
		[SCYLLA_CLASS_OTHER] = "other",
	};
	return conn_class < sizeof names / sizeof *names ? names[conn_class]
							 : "other";
}
