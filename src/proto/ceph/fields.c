/* fields.c - the Ceph field table, its value names (message types, OSD
 * operations, tags, entity types: Ceph's own names) and the derived
 * header fields. */
#include "proto/ceph/fields.h"

#include <stddef.h>

#include "base/message.h"
#include "proto/ceph/ceph.h"
#include "proto/ceph/cephx.h"
#include "proto/ceph/msgr1.h"
#include "proto/ceph/msgr2.h"

const struct value_name ceph_kind_names[] = {
	{ CEPH_UNIT_BANNER, "banner" }, { CEPH_UNIT_CONNECT, "connect" },
	{ CEPH_UNIT_CONNECT_REPLY, "connect_reply" }, { CEPH_UNIT_SEQ, "seq" },
	{ CEPH_UNIT_TAG, "tag" }, { CEPH_UNIT_FRAME, "frame" },
	{ CEPH_UNIT_MESSAGE, "message" }, { CEPH_UNIT_ENCRYPTED, "encrypted" },
	{ CEPH_UNIT_SKIPPED, "skipped" }, { 0, NULL },
};

const struct value_name ceph_msgr1_tag_names[] = {
	{ 1, "READY" }, { 2, "RESETSESSION" }, { 3, "WAIT" },
	{ 4, "RETRY_SESSION" }, { 5, "RETRY_GLOBAL" }, { 6, "CLOSE" },
	{ 7, "MSG" }, { 8, "ACK" }, { 9, "KEEPALIVE" }, { 10, "BADPROTOVER" },
	{ 11, "BADAUTHORIZER" }, { 12, "FEATURES" }, { 13, "SEQ" },
	{ 14, "KEEPALIVE2" }, { 15, "KEEPALIVE2_ACK" },
	{ 16, "CHALLENGE_AUTHORIZER" }, { 0, NULL },
};

const struct value_name ceph_msgr2_tag_names[] = {
	{ 1, "HELLO" }, { 2, "AUTH_REQUEST" }, { 3, "AUTH_BAD_METHOD" },
	{ 4, "AUTH_REPLY_MORE" }, { 5, "AUTH_REQUEST_MORE" },
	{ 6, "AUTH_DONE" }, { 7, "AUTH_SIGNATURE" }, { 8, "CLIENT_IDENT" },
	{ 9, "SERVER_IDENT" }, { 10, "IDENT_MISSING_FEATURES" },
	{ 11, "SESSION_RECONNECT" }, { 12, "SESSION_RESET" },
	{ 13, "SESSION_RETRY" }, { 14, "SESSION_RETRY_GLOBAL" },
	{ 15, "SESSION_RECONNECT_OK" }, { 16, "WAIT" }, { 17, "MESSAGE" },
	{ 18, "KEEPALIVE2" }, { 19, "KEEPALIVE2_ACK" }, { 20, "ACK" },
	{ 21, "COMPRESSION_REQUEST" }, { 22, "COMPRESSION_DONE" },
	{ 0, NULL },
};

/* Ceph's message types (include/ceph_fs.h, msg/Message.h), by number. */
const struct value_name ceph_type_names[] = {
	{ 1, "SHUTDOWN" }, { 2, "PING" }, { 4, "MON_MAP" },
	{ 5, "MON_GET_MAP" }, { 6, "MON_GET_OSDMAP" }, { 7, "MON_METADATA" },
	{ 13, "STATFS" }, { 14, "STATFS_REPLY" }, { 15, "MON_SUBSCRIBE" },
	{ 16, "MON_SUBSCRIBE_ACK" }, { 17, "AUTH" }, { 18, "AUTH_REPLY" },
	{ 19, "MON_GET_VERSION" }, { 20, "MON_GET_VERSION_REPLY" },
	{ 21, "MDS_MAP" }, { 22, "CLIENT_SESSION" }, { 23, "CLIENT_RECONNECT" },
	{ 24, "CLIENT_REQUEST" }, { 25, "CLIENT_REQUEST_FORWARD" },
	{ 26, "CLIENT_REPLY" }, { 27, "CLIENT_RECLAIM" },
	{ 28, "CLIENT_RECLAIM_REPLY" }, { 29, "CLIENT_METRICS" },
	{ 40, "PAXOS" }, { 41, "OSD_MAP" }, { 42, "OSD_OP" },
	{ 43, "OSD_OPREPLY" }, { 44, "WATCH_NOTIFY" }, { 46, "FORWARD" },
	{ 47, "ROUTE" }, { 48, "POOLOP_REPLY" }, { 49, "POOLOP" },
	{ 50, "MON_COMMAND" }, { 51, "MON_COMMAND_ACK" }, { 52, "LOG" },
	{ 53, "LOG_ACK" }, { 56, "CLASS" }, { 57, "CLASS_ACK" },
	{ 58, "GETPOOLSTATS" }, { 59, "GETPOOLSTATSREPLY" },
	{ 60, "MON_GLOBAL_ID" }, { 61, "OSD_BACKOFF" }, { 62, "CONFIG" },
	{ 63, "GET_CONFIG" }, { 64, "MON_SCRUB" }, { 65, "MON_ELECTION" },
	{ 66, "MON_PAXOS" }, { 67, "MON_PROBE" }, { 68, "MON_JOIN" },
	{ 69, "MON_SYNC" }, { 70, "OSD_PING" }, { 71, "OSD_BOOT" },
	{ 72, "OSD_FAILURE" }, { 73, "OSD_ALIVE" }, { 74, "OSD_MARK_ME_DOWN" },
	{ 75, "OSD_FULL" }, { 76, "MON_GET_PURGED_SNAPS" },
	{ 77, "MON_GET_PURGED_SNAPS_REPLY" }, { 78, "OSD_PGTEMP" },
	{ 79, "OSD_BEACON" }, { 80, "OSD_PG_NOTIFY" }, { 81, "OSD_PG_QUERY" },
	{ 83, "OSD_PG_LOG" }, { 84, "OSD_PG_REMOVE" }, { 85, "OSD_PG_INFO" },
	{ 86, "OSD_PG_TRIM" }, { 87, "PGSTATS" }, { 88, "PGSTATSACK" },
	{ 89, "OSD_PG_CREATE" }, { 90, "REMOVE_SNAPS" }, { 91, "OSD_SCRUB" },
	{ 92, "OSD_SCRUB_RESERVE" }, { 93, "OSD_REP_SCRUB" },
	{ 94, "OSD_PG_SCAN" }, { 95, "OSD_PG_BACKFILL" },
	{ 96, "OSD_PG_BACKFILL_REMOVE" }, { 97, "COMMAND" },
	{ 98, "COMMAND_REPLY" }, { 99, "OSD_BACKFILL_RESERVE" },
	{ 100, "MDS_BEACON" }, { 101, "MDS_PEER_REQUEST" },
	{ 102, "MDS_TABLE_REQUEST" }, { 103, "FS_MAP_USER" },
	{ 105, "OSD_PG_PUSH" }, { 106, "OSD_PG_PULL" },
	{ 107, "OSD_PG_PUSH_REPLY" }, { 108, "OSD_EC_WRITE" },
	{ 109, "OSD_EC_WRITE_REPLY" }, { 110, "OSD_EC_READ" },
	{ 111, "OSD_EC_READ_REPLY" }, { 112, "OSD_REPOP" },
	{ 113, "OSD_REPOPREPLY" }, { 114, "OSD_PG_UPDATE_LOG_MISSING" },
	{ 115, "OSD_PG_UPDATE_LOG_MISSING_REPLY" }, { 116, "OSD_PG_CREATED" },
	{ 117, "OSD_REP_SCRUBMAP" }, { 118, "OSD_PG_RECOVERY_DELETE" },
	{ 119, "OSD_PG_RECOVERY_DELETE_REPLY" }, { 120, "OSD_PG_CREATE2" },
	{ 121, "OSD_SCRUB2" }, { 122, "OSD_PG_READY_TO_MERGE" },
	{ 123, "OSD_MARK_ME_DEAD" }, { 130, "OSD_PG_NOTIFY2" },
	{ 131, "OSD_PG_QUERY2" }, { 132, "OSD_PG_INFO2" },
	{ 133, "OSD_PG_LEASE" }, { 134, "OSD_PG_LEASE_ACK" },
	{ 150, "OSD_RECOVERY_RESERVE" }, { 151, "OSD_FORCE_RECOVERY" },
	{ 0x200, "MDS_RESOLVE" }, { 0x201, "MDS_RESOLVEACK" },
	{ 0x202, "MDS_CACHEREJOIN" }, { 0x203, "MDS_DISCOVER" },
	{ 0x204, "MDS_DISCOVERREPLY" }, { 0x205, "MDS_INODEUPDATE" },
	{ 0x206, "MDS_DIRUPDATE" }, { 0x207, "MDS_CACHEEXPIRE" },
	{ 0x208, "MDS_DENTRYUNLINK" }, { 0x209, "MDS_FRAGMENTNOTIFY" },
	{ 0x20a, "MDS_OFFLOAD_TARGETS" }, { 0x20c, "MDS_DENTRYLINK" },
	{ 0x20d, "MDS_FINDINO" }, { 0x20e, "MDS_FINDINOREPLY" },
	{ 0x20f, "MDS_OPENINO" }, { 0x210, "MDS_OPENINOREPLY" },
	{ 0x211, "MDS_SNAPUPDATE" }, { 0x212, "MDS_FRAGMENTNOTIFYACK" },
	{ 0x300, "MDS_LOCK" }, { 0x301, "MDS_INODEFILECAPS" },
	{ 0x302, "MDS_METRICS" }, { 0x310, "CLIENT_CAPS" },
	{ 0x311, "CLIENT_LEASE" }, { 0x312, "CLIENT_SNAP" },
	{ 0x313, "CLIENT_CAPRELEASE" }, { 0x314, "CLIENT_QUOTA" },
	{ 0x449, "MDS_EXPORTDIRDISCOVER" }, { 0x450, "MDS_EXPORTDIRDISCOVERACK" },
	{ 0x451, "MDS_EXPORTDIRCANCEL" }, { 0x452, "MDS_EXPORTDIRPREP" },
	{ 0x453, "MDS_EXPORTDIRPREPACK" }, { 0x454, "MDS_EXPORTDIRWARNING" },
	{ 0x455, "MDS_EXPORTDIRWARNINGACK" }, { 0x456, "MDS_EXPORTDIR" },
	{ 0x457, "MDS_EXPORTDIRACK" }, { 0x458, "MDS_EXPORTDIRNOTIFY" },
	{ 0x459, "MDS_EXPORTDIRNOTIFYACK" }, { 0x460, "MDS_EXPORTDIRFINISH" },
	{ 0x470, "MDS_EXPORTCAPS" }, { 0x471, "MDS_EXPORTCAPSACK" },
	{ 0x472, "MDS_GATHERCAPS" }, { 0x500, "MDS_HEARTBEAT" },
	{ 0x600, "TIMECHECK" }, { 0x601, "MON_HEALTH" }, { 0x607, "NOP" },
	{ 0x608, "MON_HEALTH_CHECKS" }, { 0x609, "TIMECHECK2" },
	{ 0x700, "MGR_OPEN" }, { 0x701, "MGR_CONFIGURE" },
	{ 0x702, "MGR_REPORT" }, { 0x703, "MGR_BEACON" }, { 0x704, "MGR_MAP" },
	{ 0x705, "MGR_DIGEST" }, { 0x706, "MON_MGR_REPORT" },
	{ 0x707, "SERVICE_MAP" }, { 0x708, "MGR_CLOSE" },
	{ 0x709, "MGR_COMMAND" }, { 0x70a, "MGR_COMMAND_REPLY" },
	{ 0, NULL },
};

/* OSD operations (include/rados.h): mode | type | number. */
const struct value_name ceph_osd_op_names[] = {
	{ 0x1201, "READ" }, { 0x1202, "STAT" }, { 0x1203, "MAPEXT" },
	{ 0x1204, "MASKTRUNC" }, { 0x1205, "SPARSE_READ" },
	{ 0x1206, "NOTIFY" }, { 0x1207, "NOTIFY_ACK" },
	{ 0x1208, "ASSERT_VER" }, { 0x1209, "LIST_WATCHERS" },
	{ 0x120a, "LIST_SNAPS" }, { 0x120b, "SYNC_READ" },
	{ 0x120c, "TMAPGET" }, { 0x1211, "OMAPGETKEYS" },
	{ 0x1212, "OMAPGETVALS" }, { 0x1213, "OMAPGETHEADER" },
	{ 0x1214, "OMAPGETVALSBYKEYS" }, { 0x1219, "OMAP_CMP" },
	{ 0x121d, "ISDIRTY" }, { 0x121e, "COPY_GET" }, { 0x121f, "CHECKSUM" },
	{ 0x1220, "CMPEXT" }, { 0x1301, "GETXATTR" }, { 0x1302, "GETXATTRS" },
	{ 0x1303, "CMPXATTR" }, { 0x1401, "CALL" }, { 0x1501, "PGLS" },
	{ 0x1502, "PGLS_FILTER" }, { 0x1503, "PG_HITSET_LS" },
	{ 0x1504, "PG_HITSET_GET" }, { 0x1505, "PGNLS" },
	{ 0x1506, "PGNLS_FILTER" }, { 0x1507, "SCRUBLS" },
	{ 0x2201, "WRITE" }, { 0x2202, "WRITEFULL" }, { 0x2203, "TRUNCATE" },
	{ 0x2204, "ZERO" }, { 0x2205, "DELETE" }, { 0x2206, "APPEND" },
	{ 0x2207, "STARTSYNC" }, { 0x2208, "SETTRUNC" },
	{ 0x2209, "TRIMTRUNC" }, { 0x220b, "TMAPPUT" }, { 0x220d, "CREATE" },
	{ 0x220e, "ROLLBACK" }, { 0x220f, "WATCH" }, { 0x2215, "OMAPSETVALS" },
	{ 0x2216, "OMAPSETHEADER" }, { 0x2217, "OMAPCLEAR" },
	{ 0x2218, "OMAPRMKEYS" }, { 0x221a, "COPY_FROM" },
	{ 0x221c, "UNDIRTY" }, { 0x2223, "SETALLOCHINT" },
	{ 0x2224, "CACHE_PIN" }, { 0x2225, "CACHE_UNPIN" },
	{ 0x2226, "WRITESAME" }, { 0x2227, "SET_REDIRECT" },
	{ 0x2229, "TIER_PROMOTE" }, { 0x222a, "UNSET_MANIFEST" },
	{ 0x222c, "OMAPRMKEYRANGE" }, { 0x222d, "COPY_FROM2" },
	{ 0x2301, "SETXATTR" }, { 0x2302, "SETXATTRS" },
	{ 0x2303, "RESETXATTRS" }, { 0x2304, "RMXATTR" },
	{ 0x320a, "TMAPUP" }, { 0x3222, "TMAP2OMAP" }, { 0x4001, "PULL" },
	{ 0x4002, "PUSH" }, { 0x4003, "BALANCEREADS" },
	{ 0x4004, "UNBALANCEREADS" }, { 0x4005, "SCRUB" },
	{ 0x4006, "SCRUB_RESERVE" }, { 0x4007, "SCRUB_UNRESERVE" },
	{ 0x4009, "SCRUB_MAP" }, { 0x821f, "CACHE_FLUSH" },
	{ 0x8220, "CACHE_EVICT" }, { 0x8221, "CACHE_TRY_FLUSH" },
	{ 0x8228, "SET_CHUNK" }, { 0x822b, "TIER_FLUSH" },
	{ 0x822c, "TIER_EVICT" }, { 0, NULL },
};

const struct value_name ceph_entity_names[] = {
	{ 0x01, "mon" }, { 0x02, "mds" }, { 0x04, "osd" }, { 0x08, "client" },
	{ 0x10, "mgr" }, { 0x20, "auth" }, { 0, NULL },
};

const struct value_name ceph_auth_method_names[] = {
	{ 0, "unknown" }, { 1, "none" }, { 2, "cephx" }, { 4, "gss" },
	{ 0, NULL },
};

const struct value_name ceph_con_mode_names[] = {
	{ 0, "unknown" }, { 1, "crc" }, { 2, "secure" }, { 0, NULL },
};

const struct value_name ceph_addr_type_names[] = {
	{ 0, "none" }, { 1, "legacy" }, { 2, "msgr2" }, { 3, "any" },
	{ 0, NULL },
};

const struct value_name ceph_cephx_request_names[] = {
	{ 0x0100, "GET_AUTH_SESSION_KEY" },
	{ 0x0200, "GET_PRINCIPAL_SESSION_KEY" },
	{ 0x0400, "GET_ROTATING_KEY" }, { 0, NULL },
};

const struct value_name ceph_log_prio_names[] = {
	{ 0, "debug" }, { 1, "info" }, { 2, "sec" }, { 3, "warn" },
	{ 4, "error" }, { 0, NULL },
};

/* A sorted table's name of v, by bisection (these tables are long and
 * looked up once per message). */
static const char *bisect(const struct value_name *t, size_t n, uint64_t v)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t[mid].value == v)
			return t[mid].name;
		if (t[mid].value < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

#define ENTRIES(t) (sizeof(t) / sizeof((t)[0]) - 1)

const char *ceph_type_name(unsigned type)
{
	return bisect(ceph_type_names, ENTRIES(ceph_type_names), type);
}

const char *ceph_osd_op_name(unsigned op)
{
	return bisect(ceph_osd_op_names, ENTRIES(ceph_osd_op_names), op);
}

const char *ceph_entity_name(unsigned type)
{
	return bisect(ceph_entity_names, ENTRIES(ceph_entity_names), type);
}

/* ---- derived: the header words */

bool ceph_message(const struct message *m)
{
	return m->proto == &ceph_protocol &&
	       (ceph_word(m, CEPH_H_INFO) & CEPH_I_PRESENT);
}

static bool has_head(const struct message *m)
{
	return ceph_message(m) && (ceph_word(m, CEPH_H_INFO) & CEPH_I_HEAD);
}

static bool uint_out(struct field *f, uint64_t v, bool present)
{
	f->kind = FIELD_UINT;
	f->v.u = v;
	return present;
}

static bool bool_out(struct field *f, bool v, bool present)
{
	f->kind = FIELD_BOOL;
	f->v.u = v;
	return present;
}

FIELD_DERIVE(ceph_derive_msgr)
{
	return uint_out(f, ceph_info_msgr(ceph_word(m, CEPH_H_INFO)),
			ceph_message(m));
}

FIELD_DERIVE(ceph_derive_kind)
{
	f->kind = FIELD_ENUM;
	f->v.u = ceph_info_kind(ceph_word(m, CEPH_H_INFO));
	f->text = field_value_name(&hf_ceph_kind, f->v.u);
	return ceph_message(m);
}

FIELD_DERIVE(ceph_derive_tag)
{
	uint64_t info = ceph_word(m, CEPH_H_INFO);
	unsigned kind = ceph_info_kind(info);
	f->kind = FIELD_ENUM;
	f->v.u = ceph_info_tag(info);
	f->text = msgr1_tag_name((unsigned)f->v.u);
	return ceph_message(m) && ceph_info_msgr(info) == 1 &&
	       (kind == CEPH_UNIT_TAG || kind == CEPH_UNIT_MESSAGE ||
		kind == CEPH_UNIT_CONNECT_REPLY || kind == CEPH_UNIT_SEQ);
}

FIELD_DERIVE(ceph_derive_msgr2_tag)
{
	uint64_t info = ceph_word(m, CEPH_H_INFO);
	f->kind = FIELD_ENUM;
	f->v.u = ceph_info_tag(info);
	f->text = msgr2_tag_name((unsigned)f->v.u);
	return ceph_message(m) && ceph_info_kind(info) == CEPH_UNIT_FRAME;
}

FIELD_DERIVE(ceph_derive_from_client)
{
	return bool_out(f, ceph_word(m, CEPH_H_INFO) & CEPH_I_FROM_CLIENT,
			ceph_message(m));
}

FIELD_DERIVE(ceph_derive_secure)
{
	uint64_t info = ceph_word(m, CEPH_H_INFO);
	return bool_out(f, info & CEPH_I_SECURE,
			ceph_message(m) && ceph_info_msgr(info) == 2);
}

FIELD_DERIVE(ceph_derive_decrypted)
{
	uint64_t info = ceph_word(m, CEPH_H_INFO);
	return bool_out(f, info & CEPH_I_DECRYPTED,
			ceph_message(m) && (info & CEPH_I_SECURE));
}

FIELD_DERIVE(ceph_derive_type)
{
	f->kind = FIELD_ENUM;
	f->v.u = ceph_info_type(ceph_word(m, CEPH_H_INFO));
	f->text = ceph_type_name((unsigned)f->v.u);
	return has_head(m);
}

FIELD_DERIVE(ceph_derive_tid)
{
	return uint_out(f, ceph_word(m, CEPH_H_TID), has_head(m));
}

FIELD_DERIVE(ceph_derive_seq)
{
	return uint_out(f, ceph_word(m, CEPH_H_SEQ), has_head(m));
}

FIELD_DERIVE(ceph_derive_priority)
{
	return uint_out(f, ceph_word(m, CEPH_H_VERSIONS) >> 32 & 0xffff,
			has_head(m));
}

FIELD_DERIVE(ceph_derive_head_version)
{
	return uint_out(f, ceph_word(m, CEPH_H_VERSIONS) & 0xffff, has_head(m));
}

FIELD_DERIVE(ceph_derive_compat_version)
{
	return uint_out(f, ceph_word(m, CEPH_H_VERSIONS) >> 16 & 0xffff,
			has_head(m));
}

FIELD_DERIVE(ceph_derive_front_size)
{
	return uint_out(f, ceph_word(m, CEPH_H_SIZES) & 0xffffffffu,
			has_head(m));
}

FIELD_DERIVE(ceph_derive_middle_size)
{
	return uint_out(f, ceph_word(m, CEPH_H_SIZES) >> 32, has_head(m));
}

FIELD_DERIVE(ceph_derive_data_size)
{
	return uint_out(f, ceph_word(m, CEPH_H_DATA) & 0xffffffffu,
			has_head(m));
}

FIELD_DERIVE(ceph_derive_data_off)
{
	return uint_out(f, ceph_word(m, CEPH_H_VERSIONS) >> 48, has_head(m));
}

static bool msgr1_head(const struct message *m)
{
	return has_head(m) && ceph_info_msgr(ceph_word(m, CEPH_H_INFO)) == 1;
}

FIELD_DERIVE(ceph_derive_node_type)
{
	f->kind = FIELD_ENUM;
	f->v.u = ceph_word(m, CEPH_H_DATA) >> 32 & 0xff;
	f->text = ceph_entity_name((unsigned)f->v.u);
	return msgr1_head(m);
}

FIELD_DERIVE(ceph_derive_node_id)
{
	return uint_out(f, ceph_word(m, CEPH_H_SOURCE), msgr1_head(m));
}

FIELD_DERIVE(ceph_derive_ack_seq)
{
	return uint_out(f, ceph_word(m, CEPH_H_SOURCE),
			has_head(m) &&
			ceph_info_msgr(ceph_word(m, CEPH_H_INFO)) == 2);
}

FIELD_TABLE_DEFINE(ceph_fields, CEPH_FIELDS)
