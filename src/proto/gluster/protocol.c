/* protocol.c - GlusterFS's entry in the protocol registry: its programs
 * and credential flavours (registered into ONC-RPC, which carries it),
 * its result, its views, and what its messages tell the correlator. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/view.h"
#include "gluster.h"
#include "proto/oncrpc/rpc.h"
#include "proto/registry.h"

/* ---- the result, in the ONC-RPC header words left to the program */

enum { RESULT_HAS = RPC_H_PROGRAM, RESULT_VALUES };

void gluster_set_result(struct message *m, int32_t op_ret, int32_t op_errno)
{
	m->proto_header[RESULT_HAS] = 1;
	m->proto_header[RESULT_VALUES] = (uint32_t)op_ret |
					 (uint64_t)(uint32_t)op_errno << 32;
	m->exchange.status = op_ret < 0 ? STATUS_FAILED : STATUS_OK;
	m->exchange.status_code = op_ret < 0 ? op_errno : 0;
	m->exchange.status_name = op_ret < 0 ? errno_name(op_errno) : NULL;
}

bool gluster_result(const struct message *m, int32_t *op_ret,
		    int32_t *op_errno)
{
	if (m->proto != &glusterfs_protocol || !m->proto_header[RESULT_HAS])
		return false;
	uint64_t v = m->proto_header[RESULT_VALUES];
	*op_ret = (int32_t)(uint32_t)v;
	*op_errno = (int32_t)(uint32_t)(v >> 32);
	return true;
}

/* ---- views: the RPC header, then the result */

/* The result in -V when its fields did not fit in the message. */
static void tree_lead(const struct message *m, struct view *v)
{
	int32_t ret, err;
	if (!gluster_result(m, &ret, &err) || msg_find(m, &hf_gluster_op_ret))
		return;
	const char *en = errno_name(err);
	view_linef(v, "    op_ret: %" PRId32, ret);
	view_linef(v, "    op_errno: %" PRId32 "%s%s%s", err, en ? " (" : "",
		   en ? en : "", en ? ")" : "");
}

static void json_head(const struct message *m, struct view *v)
{
	if (!rpc_message(m))
		return;
	view_json_open(v, "rpc");
	rpc_json_members(m, v);
	int32_t ret, err;
	if (gluster_result(m, &ret, &err)) {
		const char *en = errno_name(err);
		view_json_int(v, "op_ret", ret);
		view_json_int(v, "op_errno", err);
		if (en)
			view_json_cstr(v, "op_errno_name", en);
	}
	v->json_close(v);
}

/* ---- what the correlator learns: SETVOLUME names the client process */

/* The string value of the first dict key `key` that has one, or NULL. */
static const struct field *dict_string(const struct message *m,
				       const char *key)
{
	size_t klen = strlen(key);
	for (unsigned i = 0; i + 1 < m->nfields; i++) {
		const struct field *f = &m->fields[i];
		if (f->kind != FIELD_STR || f->def != &hf_glusterfs_dict_key ||
		    f->len != klen || memcmp(field_bytes(m, f), key, klen))
			continue;
		const struct field *v = &m->fields[i + 1];
		if (v->kind == FIELD_STR && v->def == &hf_glusterfs_dict_value)
			return v;
	}
	return NULL;
}

/* SETVOLUME's dict names the process behind a connection:
 * process-uuid "CTX_ID:<uuid>-GRAPH_ID:<n>-PID:<pid>-HOST:<host>-PC_NAME:
 * <subvolume>-RECON_NO:-<n>" and process-name ("gfapi.smbd", "fuse"). */
static bool connection_process(const struct message *m,
			       struct process_hint *out)
{
	if (m->exchange.kind != EXCHANGE_REQUEST)
		return false;
	const struct field *uuid = dict_string(m, "process-uuid");
	if (!uuid)
		return false;
	size_t n = uuid->len < sizeof out->id - 1 ? uuid->len
						  : sizeof out->id - 1;
	memcpy(out->id, field_bytes(m, uuid), n);
	out->id[n] = '\0';
	if (memchr(out->id, '\0', n))
		return false;
	const char *pid = strstr(out->id, "-PID:");
	const char *host = strstr(out->id, "-HOST:");
	if (!pid)
		return false;
	char *end;
	long long p = strtoll(pid + 5, &end, 10);
	if (end == pid + 5 || p <= 0 || p > UINT32_MAX)
		return false;
	const char *host_end = host ? strstr(host, "-PC_NAME:") : NULL;
	const struct field *name = dict_string(m, "process-name");
	out->pid = p;
	out->id_len = n;
	out->host = host ? host + 6 : NULL;
	out->host_len = !host ? 0 : host_end ? (size_t)(host_end - host - 6) :
			strlen(host + 6);
	out->name = name ? (const char *)field_bytes(m, name) : NULL;
	out->name_len = name ? name->len : 0;
	out->method = "process-uuid";
	return true;
}

static const struct rpc_registration registration = {
	.programs = gluster_programs,
	.flavors = gluster_flavors,
};

const struct protocol glusterfs_protocol = {
	.name = "glusterfs",
	.label = "GlusterFS",
	.meaning = "GlusterFS: file operations, handshake, callbacks, "
		   "portmap, GlusterD and CLI programs over ONC-RPC",
	.fields = gluster_fields,
	.words = (const char *const[]){ "gluster", "glusterd", NULL },
	.carrier = &rpc_protocol,
	.carried = &registration,
	.tree_head = rpc_tree_head,
	.tree_lead = tree_lead,
	.json_head = json_head,
	.connection_process = connection_process,
};
