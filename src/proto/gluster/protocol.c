/* protocol.c - GlusterFS's entry in the protocol registry. */
#include "fields.h"
#include "proto/registry.h"

const struct protocol glusterfs_protocol = {
	.name = "glusterfs",
	.label = "GlusterFS",
	.meaning = "GlusterFS: file operations, handshake, callbacks, "
		   "portmap, GlusterD and CLI programs over ONC-RPC",
	.fields = gluster_fields,
	.words = (const char *const[]){ "gluster", "glusterd", NULL },
};
