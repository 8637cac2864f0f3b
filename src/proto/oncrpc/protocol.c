/* protocol.c - ONC-RPC's entry in the protocol registry, and its views:
 * the RPC header as -V and -T json show it (tshark's "Remote Procedure
 * Call" lines). */
#include <inttypes.h>
#include <stdio.h>

#include "base/view.h"
#include "fields.h"
#include "proto/registry.h"
#include "rpc.h"
#include "rpc_record.h"

void rpc_tree_head(const struct message *m, struct view *v)
{
	if (!rpc_message(m))
		return;
	const struct exchange *ex = &m->exchange;
	uint32_t xid = (uint32_t)rpc_header(m, RPC_H_XID);
	uint32_t type = (uint32_t)rpc_header(m, RPC_H_TYPE);
	uint32_t reply_state = (uint32_t)rpc_header(m, RPC_H_REPLY_STATE);
	uint32_t accept_state = (uint32_t)rpc_header(m, RPC_H_ACCEPT_STATE);
	bool reply = type == RPC_REPLY;
	view_linef(v, "Remote Procedure Call, Type:%s XID:0x%08" PRIx32,
		   reply ? "Reply" : "Call", xid);
	view_linef(v, "    XID: 0x%08" PRIx32 " (%" PRIu32 ")", xid, xid);
	view_linef(v, "    Message Type: %s (%" PRIu32 ")",
		   reply ? "Reply" : "Call", type);
	if (!reply || ex->request_frame) {
		view_linef(v, "    Program: %s (%" PRIu32 ")",
			   ex->service ? ex->service : "Unknown",
			   ex->service_code);
		view_linef(v, "    Program Version: %" PRIu32,
			   ex->service_version);
		view_linef(v, "    Procedure: %s (%" PRIu32 ")",
			   ex->op ? ex->op : "Unknown", ex->op_code);
	}
	if (!reply)
		return;
	if (ex->request_frame)
		view_linef(v, "    [This is a reply to a request in frame %"
			   PRIu64 "]", ex->request_frame);
	else
		view_linef(v, "    [The request was not seen]");
	if (ex->latency_ns >= 0)
		view_linef(v, "    [Time from request: %" PRId64 ".%09" PRId64
			   " seconds]", ex->latency_ns / 1000000000,
			   ex->latency_ns % 1000000000);
	view_linef(v, "    Reply State: %s (%" PRIu32 ")",
		   reply_state == 0 ? "accepted" :
		   reply_state == 1 ? "denied" : "?", reply_state);
	if (reply_state == 0)
		view_linef(v, "    Accept State: %s (%" PRIu32 ")",
			   accept_state == 0 ? "RPC executed successfully" :
			   "error", accept_state);
}

void rpc_json_members(const struct message *m, struct view *v)
{
	static const char hex[] = "0123456789abcdef";
	const struct exchange *ex = &m->exchange;
	uint32_t x = (uint32_t)rpc_header(m, RPC_H_XID);
	char xid[10] = { '0', 'x' };	/* "0x%08x", without printf */
	for (int i = 9; i >= 2; i--, x >>= 4)
		xid[i] = hex[x & 15];
	bool reply = rpc_header(m, RPC_H_TYPE) == RPC_REPLY;
	view_json_str(v, "xid", xid, sizeof xid);
	if (reply)
		view_json_str(v, "type", "reply", 5);
	else
		view_json_str(v, "type", "call", 4);
	if (!reply || ex->request_frame) {
		view_json_uint(v, "program", ex->service_code);
		if (ex->service)
			view_json_cstr(v, "program_name", ex->service);
		view_json_uint(v, "version", ex->service_version);
		view_json_uint(v, "procedure", ex->op_code);
		if (ex->op)
			view_json_cstr(v, "procedure_name", ex->op);
	}
	if (!reply)
		return;
	if (ex->request_frame)
		view_json_uint(v, "call_frame", ex->request_frame);
	if (ex->latency_ns >= 0)
		view_json_time(v, "latency", ex->latency_ns / 1000000000,
			     (uint32_t)(ex->latency_ns % 1000000000));
	uint64_t reply_state = rpc_header(m, RPC_H_REPLY_STATE);
	view_json_uint(v, "reply_state", reply_state);
	if (reply_state == 0)
		view_json_uint(v, "accept_state",
			     rpc_header(m, RPC_H_ACCEPT_STATE));
}

void rpc_json_head(const struct message *m, struct view *v)
{
	if (!rpc_message(m))
		return;
	view_json_open(v, "rpc");
	rpc_json_members(m, v);
	v->json_close(v);
}

const struct protocol rpc_protocol = {
	.name = "rpc",
	.label = "ONC-RPC",
	.meaning = "ONC-RPC (RFC 5531): calls and replies of RPC programs "
		   "over TCP record marking",
	.fields = rpc_fields,
	.stream = &rpc_stream_proto,
	.tree_head = rpc_tree_head,
	.json_head = rpc_json_head,
	.value_names = rpc_value_names,
};
