/* protocol.c - ONC-RPC's entry in the protocol registry. */
#include "fields.h"
#include "proto/registry.h"

const struct protocol rpc_protocol = {
	.name = "rpc",
	.label = "ONC-RPC",
	.meaning = "ONC-RPC (RFC 5531): calls and replies of RPC programs "
		   "over TCP record marking",
	.fields = rpc_fields,
};
