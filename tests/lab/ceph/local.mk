# tests/lab/ceph: the Ceph lab (lab.sh) that made tests/captures/ceph, and
# the live test that it still does (root; ~70 s).
EXTRA_DIST += tests/lab/ceph/lab.sh tests/lab/ceph/README.md \
	tests/lab/ceph/lab-check.sh
TESTS += tests/lab/ceph/lab-check.sh
