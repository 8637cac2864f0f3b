# src/base/local.mk - what every layer reads: bounds-checked cursors, the
# decoded message and its fields, errno names.
libtapline_a_SOURCES += src/base/cursor.h src/base/message.h \
	src/base/message.c src/base/errno_names.c
