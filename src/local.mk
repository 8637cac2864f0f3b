# src/: fragments per area, each owned by the people working on it.
include src/wire.mk
include src/gluster.mk
include src/output.mk
include src/record.mk
include correlate/local.mk
