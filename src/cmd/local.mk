# src/cmd/local.mk - the tapline program: main and one file per
# subcommand (tapline correlate's is correlate/cmd_correlate.c).
tapline_SOURCES = src/cmd/main.c
libtapline_a_SOURCES += src/cmd/commands.h src/cmd/decode.c src/cmd/record.c \
	src/cmd/size_option.c
