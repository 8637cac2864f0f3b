/* fields.h - the Ceph messenger's fields (ceph.*): Wireshark's names where
 * its msgr1 dissector has one (docs/ceph.md), ceph.msgr2.* and
 * ceph.cephx.* for what it does not know.  The header of a frame or
 * message is derived (complete when decoding the header only); bodies are
 * stored.  X(id, name, KIND, flags, meaning[, ...]): src/base/field.h. */
#ifndef TAPLINE_CEPH_FIELDS_H
#define TAPLINE_CEPH_FIELDS_H

#include "base/field.h"

extern const struct value_name ceph_kind_names[], ceph_msgr1_tag_names[],
	ceph_msgr2_tag_names[], ceph_type_names[], ceph_entity_names[],
	ceph_osd_op_names[], ceph_auth_method_names[], ceph_con_mode_names[],
	ceph_addr_type_names[], ceph_cephx_request_names[],
	ceph_log_prio_names[];

#define CEPH_HDR FIELD_DEF_HEADER

#define CEPH_FIELDS(X) \
	/* what every unit has (derived from the header words) */ \
	X(ceph_msgr, "ceph.msgr", UINT, CEPH_HDR, \
	  "messenger generation: 1 (banner \"ceph v027\") or 2 (\"ceph v2\")", \
	  .derive = ceph_derive_msgr) \
	X(ceph_kind, "ceph.kind", ENUM, CEPH_HDR, \
	  "what the sender sent: banner, connect, connect_reply, seq, tag, " \
	  "frame, message, encrypted, skipped", \
	  .values = ceph_kind_names, .derive = ceph_derive_kind) \
	X(ceph_tag, "ceph.tag", ENUM, CEPH_HDR, \
	  "msgr1: the tag (MSG, ACK, KEEPALIVE2, ..., a connect reply's)", \
	  .values = ceph_msgr1_tag_names, .derive = ceph_derive_tag) \
	X(ceph_msgr2_tag, "ceph.msgr2.tag", ENUM, CEPH_HDR, \
	  "msgr2: the frame's tag (HELLO, AUTH_REQUEST, ..., MESSAGE)", \
	  .values = ceph_msgr2_tag_names, .derive = ceph_derive_msgr2_tag) \
	X(ceph_from_client, "ceph.from_client", BOOL, CEPH_HDR, \
	  "sent by the side that opened the connection", \
	  .derive = ceph_derive_from_client) \
	X(ceph_secure, "ceph.secure", BOOL, CEPH_HDR, \
	  "msgr2: the frame came in secure mode (AES-GCM)", \
	  .derive = ceph_derive_secure) \
	X(ceph_decrypted, "ceph.decrypted", BOOL, CEPH_HDR, \
	  "msgr2: a secure frame tapline decrypted with the keyring", \
	  .derive = ceph_derive_decrypted) \
	/* a message's header (both generations) */ \
	X(ceph_type, "ceph.type", ENUM, CEPH_HDR, \
	  "message type: OSD_OP, MON_COMMAND, ... (numbers: Ceph's)", \
	  .values = ceph_type_names, .derive = ceph_derive_type) \
	X(ceph_tid, "ceph.tid", UINT, CEPH_HDR, \
	  "transaction id: a reply carries its request's (OSD_OP, MON_COMMAND)", \
	  .derive = ceph_derive_tid) \
	X(ceph_seq, "ceph.seq", UINT, CEPH_HDR, \
	  "the message's sequence number in its direction", \
	  .derive = ceph_derive_seq) \
	X(ceph_priority, "ceph.priority", UINT, CEPH_HDR, \
	  "message priority", .derive = ceph_derive_priority) \
	X(ceph_head_version, "ceph.head_version", UINT, CEPH_HDR, \
	  "the encoding version of the message's body", \
	  .derive = ceph_derive_head_version) \
	X(ceph_compat_version, "ceph.compat_version", UINT, CEPH_HDR, \
	  "the oldest body version a reader must know", \
	  .derive = ceph_derive_compat_version) \
	X(ceph_front_size, "ceph.front_size", UINT, CEPH_HDR, \
	  "bytes of the front (the encoded message)", \
	  .derive = ceph_derive_front_size) \
	X(ceph_middle_size, "ceph.middle_size", UINT, CEPH_HDR, \
	  "bytes of the middle", .derive = ceph_derive_middle_size) \
	X(ceph_data_size, "ceph.data_size", UINT, CEPH_HDR, \
	  "bytes of the data part (object data, command output)", \
	  .derive = ceph_derive_data_size) \
	X(ceph_data_off, "ceph.data_off", UINT, CEPH_HDR, \
	  "the data's offset in its object (alignment hint)", \
	  .derive = ceph_derive_data_off) \
	X(ceph_node_type, "ceph.node_type", ENUM, CEPH_HDR, \
	  "msgr1: the sender's entity type (mon, osd, client, ...)", \
	  .values = ceph_entity_names, .derive = ceph_derive_node_type) \
	X(ceph_node_id, "ceph.node_id", UINT, CEPH_HDR, \
	  "msgr1: the sender's entity number (client.4148: 4148)", \
	  .derive = ceph_derive_node_id) \
	X(ceph_msgr2_ack_seq, "ceph.msgr2.ack_seq", UINT, CEPH_HDR, \
	  "msgr2 MESSAGE: the peer's messages received so far", \
	  .derive = ceph_derive_ack_seq) \
	/* checks */ \
	X(ceph_crc_ok, "ceph.crc_ok", BOOL, 0, \
	  "every crc32c of the frame or message is right (tapline checks " \
	  "them)") \
	X(ceph_crc, "ceph.crc", HEX, 0, "msgr1: the header's crc32c, as sent") \
	X(ceph_foot_front_crc, "ceph.foot.front_crc", HEX, 0, \
	  "msgr1 footer: the front's crc32c, as sent") \
	X(ceph_foot_middle_crc, "ceph.foot.middle_crc", HEX, 0, \
	  "msgr1 footer: the middle's crc32c, as sent") \
	X(ceph_foot_data_crc, "ceph.foot.data_crc", HEX, 0, \
	  "msgr1 footer: the data's crc32c, as sent") \
	X(ceph_foot_signature, "ceph.foot.signature", HEX, 0, \
	  "msgr1 footer: the cephx message signature") \
	X(ceph_foot_flags, "ceph.foot.flags", FLAGS, 0, \
	  "msgr1 footer: COMPLETE (not aborted), NOCRC (data unchecked), " \
	  "SIGNED") \
	/* msgr2 frames */ \
	X(ceph_msgr2_segments, "ceph.msgr2.segments", UINT, 0, \
	  "msgr2: the frame's segments (1-4)") \
	X(ceph_msgr2_segment_length, "ceph.msgr2.segment_length", UINT, 0, \
	  "msgr2: a segment's length (one occurrence per segment)") \
	X(ceph_msgr2_segment_alignment, "ceph.msgr2.segment_alignment", UINT, 0, \
	  "msgr2: a segment's alignment hint") \
	X(ceph_msgr2_flags, "ceph.msgr2.flags", HEX, 0, \
	  "msgr2: the preamble's flags (0x1: segments compressed)") \
	X(ceph_msgr2_compressed, "ceph.msgr2.compressed", BOOL, 0, \
	  "msgr2: the segments are compressed (not decoded)") \
	X(ceph_msgr2_preamble_crc, "ceph.msgr2.preamble_crc", HEX, 0, \
	  "msgr2: the preamble's crc32c, as sent") \
	X(ceph_msgr2_segment_crc, "ceph.msgr2.segment_crc", HEX, 0, \
	  "msgr2 crc mode: a segment's crc32c, as sent") \
	X(ceph_msgr2_late_status, "ceph.msgr2.late_status", HEX, 0, \
	  "msgr2: the epilogue's late flags (2.0) or status (2.1)") \
	X(ceph_msgr2_aborted, "ceph.msgr2.aborted", BOOL, 0, \
	  "msgr2: the sender abandoned the frame (epilogue)") \
	X(ceph_msgr2_revision, "ceph.msgr2.revision", UINT, 0, \
	  "msgr2: 1 for msgr2.1 (both banners offer it), 0 for msgr2.0") \
	X(ceph_msgr2_features_supported, "ceph.msgr2.features.supported", HEX, 0, \
	  "msgr2 banner: features offered (0x1 revision 1, 0x2 compression)") \
	X(ceph_msgr2_features_required, "ceph.msgr2.features.required", HEX, 0, \
	  "msgr2 banner: features the sender requires") \
	X(ceph_secure_bytes, "ceph.secure.bytes", UINT, 0, \
	  "secure mode: encrypted bytes tapline could not open") \
	X(ceph_secure_why, "ceph.secure.why", STR, 0, \
	  "secure mode: why the bytes stay encrypted (no keyring, no key " \
	  "for the entity, ticket's monitor session not captured, ...)") \
	X(ceph_skipped_bytes, "ceph.skipped_bytes", UINT, 0, \
	  "bytes passed over to find the next frame or message") \
	/* banners and addresses */ \
	X(ceph_ver, "ceph.ver", STR, 0, "the banner: \"ceph v027\" or \"ceph v2\"") \
	X(ceph_my_addr, "ceph.my_addr", TREE, 0, \
	  "the sender's own address (msgr1 banner, IDENT frames)") \
	X(ceph_peer_addr, "ceph.peer_addr", TREE, 0, \
	  "the peer's address as the sender sees it (banner, HELLO)") \
	X(ceph_target_addr, "ceph.target_addr", TREE, 0, \
	  "msgr2 CLIENT_IDENT: the address the client meant to reach") \
	X(ceph_addr, "ceph.addr", STR, 0, \
	  "an entity address as Ceph prints it: v2:127.0.0.1:3300/0") \
	X(ceph_addr_type, "ceph.addr.type", ENUM, 0, \
	  "address type: none, legacy (msgr1), msgr2, any", \
	  .values = ceph_addr_type_names) \
	X(ceph_addr_ip, "ceph.addr.ip", ADDR, 0, "an entity address's IP") \
	X(ceph_addr_port, "ceph.addr.port", UINT, 0, "an entity address's port") \
	X(ceph_addr_nonce, "ceph.addr.nonce", UINT, 0, \
	  "an entity address's nonce (tells apart processes on one address)") \
	X(ceph_entity_type, "ceph.entity_type", ENUM, 0, \
	  "msgr2 HELLO: the sender's entity type", .values = ceph_entity_names) \
	/* msgr1 handshake and tags */ \
	X(ceph_connect_features, "ceph.connect.features", HEX, 0, \
	  "msgr1 connect (reply): feature bits (the reply's: negotiated)") \
	X(ceph_connect_host, "ceph.connect.host", ENUM, 0, \
	  "msgr1 connect: the connecting entity's type", \
	  .values = ceph_entity_names) \
	X(ceph_connect_global_seq, "ceph.connect.global_seq", UINT, 0, \
	  "msgr1 connect (reply): global sequence of connection attempts") \
	X(ceph_connect_seq, "ceph.connect.seq", UINT, 0, \
	  "msgr1 connect (reply): attempts on this session") \
	X(ceph_connect_ver, "ceph.connect.ver", UINT, 0, \
	  "msgr1 connect (reply): protocol version (monitor 15, OSD 24, ...)") \
	X(ceph_connect_auth_proto, "ceph.connect.auth.proto", ENUM, 0, \
	  "msgr1 connect: the authorizer's method", \
	  .values = ceph_auth_method_names) \
	X(ceph_connect_auth_size, "ceph.connect.auth.size", UINT, 0, \
	  "msgr1 connect (reply): bytes of the authorizer") \
	X(ceph_connect_flags, "ceph.connect.flags", FLAGS, 0, \
	  "msgr1 connect (reply): LOSSY") \
	X(ceph_ack, "ceph.ack", UINT, 0, \
	  "acknowledged sequence number (ACK; msgr1 SEQ; msgr2 ACK)") \
	X(ceph_keepalive_time, "ceph.keepalive.time", TIME, 0, \
	  "KEEPALIVE2(_ACK): the sender's clock, or the stamp acknowledged") \
	/* msgr2 session frames */ \
	X(ceph_msgr2_global_id, "ceph.msgr2.global_id", INT, 0, \
	  "msgr2 IDENT, AUTH_DONE: the client's global id (client.4148)") \
	X(ceph_msgr2_global_seq, "ceph.msgr2.global_seq", UINT, 0, \
	  "msgr2 IDENT, RECONNECT, RETRY_GLOBAL: the sender's global " \
	  "connection sequence") \
	X(ceph_msgr2_connect_seq, "ceph.msgr2.connect_seq", UINT, 0, \
	  "msgr2 SESSION_RECONNECT, SESSION_RETRY: attempts on the session") \
	X(ceph_msgr2_msg_seq, "ceph.msgr2.msg_seq", UINT, 0, \
	  "msgr2 SESSION_RECONNECT(_OK): the last message received") \
	X(ceph_msgr2_supported_features, "ceph.msgr2.supported_features", HEX, 0, \
	  "msgr2 IDENT: Ceph feature bits the sender supports") \
	X(ceph_msgr2_required_features, "ceph.msgr2.required_features", HEX, 0, \
	  "msgr2 IDENT: feature bits the sender requires; " \
	  "IDENT_MISSING_FEATURES: those the peer lacks") \
	X(ceph_msgr2_ident_flags, "ceph.msgr2.ident_flags", HEX, 0, \
	  "msgr2 IDENT: flags (0x1 lossy)") \
	X(ceph_msgr2_cookie, "ceph.msgr2.cookie", HEX, 0, \
	  "msgr2 IDENT, SESSION_RECONNECT: the session's cookie") \
	X(ceph_msgr2_server_cookie, "ceph.msgr2.server_cookie", HEX, 0, \
	  "msgr2 SESSION_RECONNECT: the server's cookie") \
	X(ceph_msgr2_full_reset, "ceph.msgr2.full_reset", BOOL, 0, \
	  "msgr2 SESSION_RESET: the session is forgotten") \
	X(ceph_msgr2_signature, "ceph.msgr2.signature", BYTES, 0, \
	  "msgr2 AUTH_SIGNATURE: HMAC-SHA256 of what the sender received") \
	X(ceph_msgr2_compression, "ceph.msgr2.compression", BOOL, 0, \
	  "msgr2 COMPRESSION_REQUEST/DONE: compression wanted or agreed") \
	X(ceph_msgr2_compression_method, "ceph.msgr2.compression_method", UINT, 0, \
	  "msgr2 COMPRESSION_REQUEST/DONE: a method (preferred, or chosen)") \
	/* authentication (msgr2 AUTH_*, msgr1 authorizers, AUTH messages) */ \
	X(ceph_auth_method, "ceph.auth.method", ENUM, 0, \
	  "authentication method: none, cephx, gss", \
	  .values = ceph_auth_method_names) \
	X(ceph_auth_allowed_method, "ceph.auth.allowed_method", ENUM, 0, \
	  "msgr2 AUTH_BAD_METHOD: a method the server allows", \
	  .values = ceph_auth_method_names) \
	X(ceph_auth_mode, "ceph.auth.mode", ENUM, 0, \
	  "msgr2 connection mode: crc or secure (AUTH_REQUEST: preferred, " \
	  "AUTH_DONE: chosen)", .values = ceph_con_mode_names) \
	X(ceph_auth_result, "ceph.auth.result", ERRNO, 0, \
	  "msgr2 AUTH_BAD_METHOD: the error (negative errno)") \
	X(ceph_auth_payload_size, "ceph.auth.payload_size", UINT, 0, \
	  "bytes of the method's own payload") \
	X(ceph_cephx_entity, "ceph.cephx.entity", STR, 0, \
	  "cephx: the entity that authenticates (client.admin)") \
	X(ceph_cephx_global_id, "ceph.cephx.global_id", UINT, 0, \
	  "cephx: the global id asked for or shown") \
	X(ceph_cephx_request_type, "ceph.cephx.request_type", ENUM, 0, \
	  "cephx request or response type", \
	  .values = ceph_cephx_request_names) \
	X(ceph_cephx_status, "ceph.cephx.status", ERRNO, 0, \
	  "cephx response: status (0, or a negative errno)") \
	X(ceph_cephx_service, "ceph.cephx.service", ENUM, 0, \
	  "cephx authorizer or ticket: the service (mon, osd, mgr, auth)", \
	  .values = ceph_entity_names) \
	X(ceph_cephx_secret_id, "ceph.cephx.secret_id", UINT, 0, \
	  "cephx authorizer: the rotating secret its ticket was made with") \
	X(ceph_cephx_challenge, "ceph.cephx.challenge", HEX, 0, \
	  "cephx: the server's challenge") \
	/* message bodies: shared parts */ \
	X(ceph_paxos_ver, "ceph.paxos.ver", UINT, 0, \
	  "monitor message: the paxos version it was sent at") \
	X(ceph_paxos_mon, "ceph.paxos.mon", INT, 0, \
	  "monitor message: the session's monitor rank (-1: none)") \
	X(ceph_paxos_tid, "ceph.paxos.tid", UINT, 0, \
	  "monitor message: the monitor session's tid") \
	X(ceph_fsid, "ceph.fsid", GFID, 0, "the cluster's fsid") \
	X(ceph_not_decoded, "ceph.not_decoded", STR, 0, \
	  "what of the body tapline does not decode, and why") \
	/* MON_MAP */ \
	X(ceph_monmap_epoch, "ceph.monmap.epoch", UINT, 0, "MON_MAP: the map's epoch") \
	X(ceph_monmap_fsid, "ceph.monmap.fsid", GFID, 0, "MON_MAP: the cluster's fsid") \
	X(ceph_monmap_created, "ceph.monmap.created", TIME, 0, "MON_MAP: when the map was created") \
	X(ceph_monmap_changed, "ceph.monmap.changed", TIME, 0, "MON_MAP: when it last changed") \
	X(ceph_monmap_address, "ceph.monmap.address", TREE, 0, "MON_MAP: a monitor") \
	X(ceph_monmap_address_name, "ceph.monmap.address.name", STR, 0, \
	  "MON_MAP: a monitor's name") \
	X(ceph_monmap_min_release, "ceph.monmap.min_mon_release", UINT, 0, \
	  "MON_MAP: the oldest release monitors may run (16: pacific)") \
	/* MON_SUBSCRIBE */ \
	X(ceph_msg_mon_sub_item, "ceph.msg.mon_sub.item", TREE, 0, \
	  "MON_SUBSCRIBE: one map subscribed to") \
	X(ceph_msg_mon_sub_what, "ceph.msg.mon_sub.what", STR, 0, \
	  "MON_SUBSCRIBE: the map's name (monmap, osdmap, config, mgrmap, ...)") \
	X(ceph_msg_mon_sub_start, "ceph.msg.mon_sub.start", UINT, 0, \
	  "MON_SUBSCRIBE: the first epoch wanted") \
	X(ceph_msg_mon_sub_flags, "ceph.msg.mon_sub.flags", HEX, 0, \
	  "MON_SUBSCRIBE: flags (0x1 onetime)") \
	X(ceph_msg_mon_sub_hostname, "ceph.msg.mon_sub.hostname", STR, 0, \
	  "MON_SUBSCRIBE v3: the subscriber's host name") \
	X(ceph_msg_mon_sub_ack_interval, "ceph.msg.mon_sub_ack.interval", UINT, 0, \
	  "MON_SUBSCRIBE_ACK: seconds until the subscription is renewed") \
	/* AUTH, AUTH_REPLY */ \
	X(ceph_msg_auth_proto, "ceph.msg.auth.proto", ENUM, 0, \
	  "AUTH: the method (0 while negotiating)", \
	  .values = ceph_auth_method_names) \
	X(ceph_msg_auth_supportedproto_proto, "ceph.msg.auth.supportedproto.proto", ENUM, 0, \
	  "AUTH (negotiation): a method the client supports", \
	  .values = ceph_auth_method_names) \
	X(ceph_msg_auth_monmap_epoch, "ceph.msg.auth.monmap_epoch", UINT, 0, \
	  "AUTH: the client's monitor map epoch") \
	X(ceph_msg_auth_reply_proto, "ceph.msg.auth_reply.proto", ENUM, 0, \
	  "AUTH_REPLY: the method", .values = ceph_auth_method_names) \
	X(ceph_msg_auth_reply_result, "ceph.msg.auth_reply.result", ERRNO, 0, \
	  "AUTH_REPLY: 0, or a negative errno") \
	X(ceph_msg_auth_reply_id, "ceph.msg.auth_reply.id", UINT, 0, \
	  "AUTH_REPLY: the global id given to the client") \
	X(ceph_msg_auth_reply_msg, "ceph.msg.auth_reply.msg", STR, 0, \
	  "AUTH_REPLY: the monitor's message") \
	/* MON_GET_VERSION and its reply */ \
	X(ceph_msg_mon_getversion_tid, "ceph.msg.mon.getversion.tid", UINT, 0, \
	  "MON_GET_VERSION: the request's handle (its reply carries it)") \
	X(ceph_msg_mon_getversion_what, "ceph.msg.mon.getversion.what", STR, 0, \
	  "MON_GET_VERSION: the map asked about (osdmap, mdsmap, ...)") \
	X(ceph_msg_mon_getversionreply_tid, "ceph.msg.mon.getversionreply.tid", UINT, 0, \
	  "MON_GET_VERSION_REPLY: the request's handle") \
	X(ceph_msg_mon_getversionreply_ver, "ceph.msg.mon.getversionreply.ver", UINT, 0, \
	  "MON_GET_VERSION_REPLY: the newest version") \
	X(ceph_msg_mon_getversionreply_veroldest, "ceph.msg.mon.getversionreply.veroldest", UINT, 0, \
	  "MON_GET_VERSION_REPLY: the oldest version kept") \
	/* MON_COMMAND and its ACK */ \
	X(ceph_msg_mon_cmd_str, "ceph.msg.mon_cmd.str", STR, 0, \
	  "MON_COMMAND: the command (JSON), one occurrence per string") \
	X(ceph_msg_mon_cmd_prefix, "ceph.msg.mon_cmd.prefix", STR, 0, \
	  "MON_COMMAND(_ACK): the command's \"prefix\" (osd pool ls)") \
	X(ceph_msg_mon_cmd_ack_code, "ceph.msg.mon_cmd_ack.code", ERRNO, 0, \
	  "MON_COMMAND_ACK: the result, 0 or a negative errno (the CLI exits " \
	  "with its absolute value)") \
	X(ceph_msg_mon_cmd_ack_result, "ceph.msg.mon_cmd_ack.result", STR, 0, \
	  "MON_COMMAND_ACK: the status string (what the CLI prints to stderr)") \
	X(ceph_msg_mon_cmd_ack_str, "ceph.msg.mon_cmd_ack.str", STR, 0, \
	  "MON_COMMAND_ACK: the command answered") \
	X(ceph_msg_mon_cmd_ack_data, "ceph.msg.mon_cmd_ack.data", STR, 0, \
	  "MON_COMMAND_ACK: the output (data part; cut to 4 KiB)") \
	/* PING, CONFIG, LOG */ \
	X(ceph_msg_ping_status, "ceph.msg.ping.status", STR, 0, \
	  "PING from a monitor: its status (JSON)") \
	X(ceph_msg_config_name, "ceph.msg.config.name", STR, 0, \
	  "CONFIG: an option the monitor sets") \
	X(ceph_msg_config_value, "ceph.msg.config.value", STR, 0, \
	  "CONFIG: the option's value") \
	X(ceph_msg_log_entry, "ceph.msg.log.entry", TREE, 0, "LOG: one entry") \
	X(ceph_msg_log_name, "ceph.msg.log.name", STR, 0, \
	  "LOG: who logged it (osd.0)") \
	X(ceph_msg_log_stamp, "ceph.msg.log.stamp", TIME, 0, "LOG: when") \
	X(ceph_msg_log_seq, "ceph.msg.log.seq", UINT, 0, "LOG: the entry's number") \
	X(ceph_msg_log_prio, "ceph.msg.log.prio", ENUM, 0, \
	  "LOG: priority (debug, info, sec, warn, error)", \
	  .values = ceph_log_prio_names) \
	X(ceph_msg_log_channel, "ceph.msg.log.channel", STR, 0, \
	  "LOG: the channel (cluster, audit)") \
	X(ceph_msg_log_msg, "ceph.msg.log.msg", STR, 0, "LOG: the text") \
	X(ceph_msg_log_ack_last, "ceph.msg.log_ack.last", UINT, 0, \
	  "LOG_ACK: the last entry received") \
	/* OSD_MAP, OSD_BOOT */ \
	X(ceph_msg_osd_map_epoch, "ceph.msg.osd_map.epoch", UINT, 0, \
	  "OSD_MAP: the epoch of a map it carries (one occurrence per map)") \
	X(ceph_msg_osd_map_incremental, "ceph.msg.osd_map.incremental", BOOL, 0, \
	  "OSD_MAP: the map before is an incremental one (else full)") \
	X(ceph_msg_osd_map_oldest, "ceph.msg.osd_map.oldest", UINT, 0, \
	  "OSD_MAP: the oldest map the sender keeps") \
	X(ceph_msg_osd_map_newest, "ceph.msg.osd_map.newest", UINT, 0, \
	  "OSD_MAP: the newest map there is") \
	X(ceph_msg_osd_boot_osd, "ceph.msg.osd_boot.osd", UINT, 0, \
	  "OSD_BOOT: the OSD's id (its superblock's whoami)") \
	X(ceph_msg_osd_boot_epoch, "ceph.msg.osd_boot.epoch", UINT, 0, \
	  "OSD_BOOT: the epoch it booted in") \
	X(ceph_msg_osd_boot_features, "ceph.msg.osd_boot.features", HEX, 0, \
	  "OSD_BOOT: the OSD's feature bits") \
	X(ceph_msg_osd_boot_metadata_k, "ceph.msg.osd_boot.metadata.k", STR, 0, \
	  "OSD_BOOT: a metadata key (hostname, ceph_version, ...)") \
	X(ceph_msg_osd_boot_metadata_v, "ceph.msg.osd_boot.metadata.v", STR, 0, \
	  "OSD_BOOT: its value") \
	/* OSD_OP, OSD_OPREPLY */ \
	X(ceph_pool, "ceph.pool", INT, 0, "OSD_OP(REPLY): the pool's id") \
	X(ceph_pg_seed, "ceph.pg.seed", HEX, 0, \
	  "OSD_OP(REPLY): the placement group's seed within the pool") \
	X(ceph_msg_osd_op_oid, "ceph.msg.osd_op.oid", STR, 0, \
	  "OSD_OP: the object's name") \
	X(ceph_namespace, "ceph.namespace", STR, 0, "OSD_OP: the object's namespace") \
	X(ceph_key, "ceph.key", STR, 0, "OSD_OP: the object's locator key") \
	X(ceph_hash, "ceph.hash", HEX, 0, "OSD_OP: the object name's hash") \
	X(ceph_msg_osd_op_osdmap_epoch, "ceph.msg.osd_op.osdmap_epoch", UINT, 0, \
	  "OSD_OP: the client's OSD map epoch") \
	X(ceph_osd_flags, "ceph.osd_flags", FLAGS, 0, \
	  "OSD_OP(REPLY): flags (ACK, ONDISK, READ, WRITE, ...)") \
	X(ceph_msg_osd_op_client_inc, "ceph.msg.osd_op.client_inc", UINT, 0, \
	  "OSD_OP: the client's incarnation") \
	X(ceph_msg_osd_op_mtime, "ceph.msg.osd_op.mtime", TIME, 0, \
	  "OSD_OP: the modification time a write sets") \
	X(ceph_msg_osd_op_ops_len, "ceph.msg.osd_op.ops_len", UINT, 0, \
	  "OSD_OP(REPLY): the operations in the request") \
	X(ceph_msg_osd_op_op, "ceph.msg.osd_op.op", TREE, 0, \
	  "OSD_OP(REPLY): one operation") \
	X(ceph_osd_op_op, "ceph.osd_op.op", ENUM, 0, \
	  "an operation: READ, WRITEFULL, STAT, SETXATTR, OMAPSETVALS, ...", \
	  .values = ceph_osd_op_names) \
	X(ceph_osd_op_flags, "ceph.osd_op.flags", HEX, 0, \
	  "an operation's flags (0x1 EXCL, 0x2 FAILOK, fadvise bits)") \
	X(ceph_osd_op_extent_offset, "ceph.osd_op.extent.offset", UINT, 0, \
	  "a data operation's offset") \
	X(ceph_osd_op_extent_size, "ceph.osd_op.extent.size", UINT, 0, \
	  "a data operation's length") \
	X(ceph_osd_op_extent_trunc_size, "ceph.osd_op.extent.trunc_size", UINT, 0, \
	  "a data operation's truncate size") \
	X(ceph_osd_op_extent_trunc_seq, "ceph.osd_op.extent.trunc_seq", UINT, 0, \
	  "a data operation's truncate sequence") \
	X(ceph_osd_op_payload_size, "ceph.osd_op.payload_size", UINT, 0, \
	  "bytes of the operation's input (request) or output (reply) in " \
	  "the data part") \
	X(ceph_osd_op_xattr_name, "ceph.osd_op.xattr.name", STR, 0, \
	  "an attribute operation's attribute name") \
	X(ceph_osd_op_xattr_value, "ceph.osd_op.xattr.value", BYTES, 0, \
	  "an attribute's value (SETXATTR input, GETXATTR output)") \
	X(ceph_osd_op_omap_key, "ceph.osd_op.omap.key", STR, 0, \
	  "an omap key (set, asked for, or listed)") \
	X(ceph_osd_op_omap_value, "ceph.osd_op.omap.value", BYTES, 0, \
	  "an omap value (set, or returned)") \
	X(ceph_osd_op_cls_class, "ceph.osd_op.cls.class", STR, 0, \
	  "CALL: the object class") \
	X(ceph_osd_op_cls_method, "ceph.osd_op.cls.method", STR, 0, \
	  "CALL: the class's method") \
	X(ceph_osd_op_object_size, "ceph.osd_op.object_size", UINT, 0, \
	  "STAT reply: the object's size") \
	X(ceph_osd_op_object_mtime, "ceph.osd_op.object_mtime", TIME, 0, \
	  "STAT reply: the object's modification time") \
	X(ceph_osd_op_listed, "ceph.osd_op.listed", STR, 0, \
	  "PGNLS/PGLS reply: an object listed") \
	X(ceph_osd_op_rval, "ceph.msg.osd_opreply.rval", ERRNO, 0, \
	  "OSD_OPREPLY: an operation's return value") \
	X(ceph_msg_osd_op_snap_id, "ceph.msg.osd_op.snap_id", HEX, 0, \
	  "OSD_OP: the snapshot read (0xfffffffffffffffe: the head)") \
	X(ceph_msg_osd_op_snap_seq, "ceph.msg.osd_op.snap_seq", UINT, 0, \
	  "OSD_OP: the writer's snapshot context sequence") \
	X(ceph_msg_osd_op_retry, "ceph.msg.osd_op.retry", INT, 0, \
	  "OSD_OP(REPLY): the attempt (0 first, -1 unknown)") \
	X(ceph_msg_osd_op_features, "ceph.msg.osd_op.features", HEX, 0, \
	  "OSD_OP: the client's feature bits") \
	X(ceph_msg_osd_opreply_oid, "ceph.msg.osd_opreply.oid", STR, 0, \
	  "OSD_OPREPLY: the object's name") \
	X(ceph_msg_osd_opreply_result, "ceph.msg.osd_opreply.result", ERRNO, 0, \
	  "OSD_OPREPLY: the result, 0 or a negative errno (ENOENT: -2)") \
	X(ceph_msg_osd_opreply_osdmap_epoch, "ceph.msg.osd_opreply.osdmap_epoch", UINT, 0, \
	  "OSD_OPREPLY: the OSD's map epoch") \
	X(ceph_msg_osd_opreply_user_ver, "ceph.msg.osd_opreply.user_ver", UINT, 0, \
	  "OSD_OPREPLY: the object's user version") \
	X(ceph_msg_osd_opreply_redirect, "ceph.msg.osd_opreply.redirect", BOOL, 0, \
	  "OSD_OPREPLY: the client is sent elsewhere")

FIELD_TABLE_DECLARE(ceph_fields, CEPH_FIELDS)

#endif
