# diagnose/local.mk - tapline diagnose: the problems a timeline holds, in
# words (reads correlate/'s views only).
libtapline_a_SOURCES += diagnose/cmd_diagnose.c
dist_man_MANS += man/tapline-diagnose.1

# On timelines of the bundled sessions, against tshark and the clients' logs.
# The bundled example end to end, as scripts/example.sh prints it.
TESTS += tests/diagnose.sh tests/example-run.sh
EXTRA_DIST += tests/diagnose.sh tests/example-run.sh
