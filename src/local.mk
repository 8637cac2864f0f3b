# src/: one fragment per folder.  The layers, from the bottom up (a folder
# includes only headers of the folders above it in this list):
#   base/     bounds-checked reads, the decoded message, errno names
#   wire/     capture files, link, IP, TCP, reassembly, stream dispatch
#   proto/    one folder per protocol
#   present/  renderers, -Y filters, -z statistics
#   record/   the tracefs uprobe recorder
#   cmd/      the tapline program and its subcommands
include src/base/local.mk
include src/wire/local.mk
include src/proto/local.mk
include src/proto/oncrpc/local.mk
include src/proto/gluster/local.mk
include src/proto/cql/local.mk
include src/proto/ceph/local.mk
include src/proto/scylla/local.mk
include src/present/local.mk
include src/record/local.mk
include src/cmd/local.mk
include correlate/local.mk
include diagnose/local.mk
include export/local.mk
