# tests/lab/ceph: the Ceph lab (lab.sh) that made tests/captures/ceph.
EXTRA_DIST += tests/lab/ceph/lab.sh tests/lab/ceph/README.md
