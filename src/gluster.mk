# src/gluster.mk - ONC-RPC record marking and messages, XDR, and the
# GlusterFS programs; their unit tests, the tshark differential test and
# the RPC-record fuzz harness.
libtapline_a_SOURCES += src/xdr.h src/xdr.c src/rpc.h src/rpc.c \
	src/rpc_record.h src/rpc_record.c src/gluster.h src/gluster_dict.c \
	src/gluster_fops.c src/gluster_mgmt.c
