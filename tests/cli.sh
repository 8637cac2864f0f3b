#!/bin/sh
# cli.sh - the tapline program's own command line: help, version, errors.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"

check "--help exits 0 and lists commands" sh -c '"$TAPLINE" --help | grep -q "^Commands:"'
check "--version names the program" sh -c '"$TAPLINE" --version | grep -q "^tapline "'
check "no command is a usage error (2)" sh -c '"$TAPLINE" 2>/dev/null; test $? -eq 2'
check "unknown command says so and exits 2" sh -c \
	'"$TAPLINE" frobnicate 2>&1 | grep -q "not a command"; "$TAPLINE" frobnicate 2>/dev/null; test $? -eq 2'
done_testing
