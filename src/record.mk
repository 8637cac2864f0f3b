# src/record.mk - `tapline record`: tracefs uprobes (owner: recorder).
libtapline_a_SOURCES += src/elfsym.c src/elfsym.h src/probe_defs.c \
	src/probe_defs.h src/recorder.c src/recorder.h src/cmd_record.c
