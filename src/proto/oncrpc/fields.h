/* fields.h - ONC-RPC's fields (rpc.*, Wireshark's names): the header,
 * derived from the message (xid, type, program, procedure, the matched
 * call, the reply's states), and what the decoder stores (credentials,
 * verifier, reply details).  A carried protocol's credential flavours
 * add their own rpc.auth.* fields in its table.  X(id, name, KIND, flags,
 * meaning[, ...]): src/base/field.h. */
#ifndef TAPLINE_ONCRPC_FIELDS_H
#define TAPLINE_ONCRPC_FIELDS_H

#include "base/field.h"

#define RPC_HEADER_FIELD FIELD_DEF_HEADER

#define RPC_FIELDS(X) \
	X(rpc_xid, "rpc.xid", HEX, RPC_HEADER_FIELD, \
	  "transaction id: a reply carries its call's", \
	  .derive = rpc_derive_xid) \
	X(rpc_msgtyp, "rpc.msgtyp", ENUM, RPC_HEADER_FIELD, \
	  "message type: 0 call, 1 reply", \
	  .derive = rpc_derive_msgtyp, .values = rpc_msgtyp_names) \
	X(rpc_program, "rpc.program", ENUM, RPC_HEADER_FIELD, \
	  "program number, named (replies: from the matched call)", \
	  .derive = rpc_derive_program) \
	X(rpc_programversion, "rpc.programversion", UINT, RPC_HEADER_FIELD, \
	  "program version (replies: from the matched call)", \
	  .derive = rpc_derive_programversion) \
	X(rpc_procedure, "rpc.procedure", ENUM, RPC_HEADER_FIELD, \
	  "procedure number, named (replies: from the matched call)", \
	  .derive = rpc_derive_procedure) \
	X(rpc_repframe, "rpc.repframe", UINT, RPC_HEADER_FIELD, \
	  "replies: frame of the matched call (\"Call In\"; tshark's name)", \
	  .derive = rpc_derive_repframe) \
	X(rpc_time, "rpc.time", TIME, RPC_HEADER_FIELD, \
	  "replies: seconds since the call", \
	  .derive = rpc_derive_time) \
	X(rpc_replystat, "rpc.replystat", UINT, RPC_HEADER_FIELD, \
	  "replies: reply_stat, 0 accepted, 1 denied", \
	  .derive = rpc_derive_replystat) \
	X(rpc_state_accept, "rpc.state_accept", ENUM, RPC_HEADER_FIELD, \
	  "accepted replies: accept_stat, 0 SUCCESS, 1 PROG_UNAVAIL, ...", \
	  .derive = rpc_derive_state_accept, .values = rpc_accept_names) \
	X(rpc_state_reject, "rpc.state_reject", UINT, 0, \
	  "denied replies: reject_stat, 0 RPC_MISMATCH, 1 AUTH_ERROR") \
	X(rpc_state_auth, "rpc.state_auth", ENUM, 0, \
	  "AUTH_ERROR replies: why the credentials were refused", \
	  .values = rpc_auth_stat_names) \
	X(rpc_version, "rpc.version", UINT, 0, \
	  "calls: RPC protocol version (2)") \
	X(rpc_version_min, "rpc.version.min", UINT, 0, \
	  "RPC_MISMATCH replies: lowest RPC version the server speaks") \
	X(rpc_version_max, "rpc.version.max", UINT, 0, \
	  "RPC_MISMATCH replies: highest RPC version the server speaks") \
	X(rpc_programversion_min, "rpc.programversion.min", UINT, 0, \
	  "PROG_MISMATCH replies: lowest version of the program served") \
	X(rpc_programversion_max, "rpc.programversion.max", UINT, 0, \
	  "PROG_MISMATCH replies: highest version of the program served") \
	X(rpc_cred, "rpc.cred", TREE, 0, \
	  "calls: the credentials (flavour and body)") \
	X(rpc_verf, "rpc.verf", TREE, 0, \
	  "the verifier (flavour and body)") \
	X(rpc_auth_flavor, "rpc.auth.flavor", ENUM, 0, \
	  "credential or verifier flavour: AUTH_NULL, AUTH_UNIX, " \
	  "AUTH_GLUSTERFS-v2, ...", .values = rpc_flavor_names) \
	X(rpc_auth_length, "rpc.auth.length", UINT, 0, \
	  "bytes of the credential or verifier body") \
	X(rpc_auth_body, "rpc.auth.body", BYTES, 0, \
	  "a credential or verifier body tapline does not decode") \
	X(rpc_auth_stamp, "rpc.auth.stamp", UINT, 0, \
	  "AUTH_UNIX: the caller's arbitrary stamp") \
	X(rpc_auth_machinename, "rpc.auth.machinename", STR, 0, \
	  "AUTH_UNIX: the caller's host name") \
	X(rpc_auth_uid, "rpc.auth.uid", UINT, 0, \
	  "the caller's user id") \
	X(rpc_auth_gid, "rpc.auth.gid", UINT, 0, \
	  "the caller's group id") \
	X(rpc_auth_gids, "rpc.auth.gids", UINT, 0, \
	  "the caller's supplementary groups, one occurrence each")

FIELD_TABLE_DECLARE(rpc_fields, RPC_FIELDS)

#endif
