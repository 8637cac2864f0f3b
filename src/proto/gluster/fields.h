/* fields.h - GlusterFS's fields: glusterfs.* (file operations,
 * handshake, callbacks), gluster.* (results, dump, portmap, CLI,
 * changelog) and glusterd.* (GlusterD's programs), Wireshark's names
 * where it has them.  X(id, name, KIND, flags, meaning[, ...]):
 * src/base/field.h. */
#ifndef TAPLINE_GLUSTER_FIELDS_H
#define TAPLINE_GLUSTER_FIELDS_H

#include "base/field.h"

#define GLUSTER_FIELDS(X) \
	/* results */ \
	X(gluster_op_ret, "gluster.op_ret", INT, 0, \
	  "reply: the operation's return value (-1: failed, see op_errno)", \
	  .derive = gluster_derive_op_ret) \
	X(gluster_op_errno, "gluster.op_errno", ERRNO, 0, \
	  "reply: errno of a failed operation (Linux numbering), named", \
	  .derive = gluster_derive_op_errno) \
	X(gluster_op_errstr, "gluster.op_errstr", STR, 0, \
	  "CLI reply: the error text") \
	/* credentials (AUTH_GLUSTERFS flavours of ONC-RPC: rpc.auth.*) */ \
	X(rpc_auth_pid, "rpc.auth.pid", UINT, 0, \
	  "GlusterFS credentials: pid of the process the call is made for", \
	  .also = FIELD_KIND_BIT(INT)) \
	X(rpc_auth_lk_owner, "rpc.auth.lk_owner", HEX, 0, \
	  "GlusterFS credentials: lock owner (bytes from v2 on)", \
	  .also = FIELD_KIND_BIT(BYTES)) \
	X(rpc_auth_flags, "rpc.auth.flags", HEX, 0, \
	  "AUTH_GLUSTERFS-v3: flags") \
	X(rpc_auth_ctime, "rpc.auth.ctime", TIME, 0, \
	  "AUTH_GLUSTERFS-v3: the caller's ctime (sent nsec, then sec)") \
	/* procedure fields, one per program */ \
	X(glusterfs_proc, "glusterfs.proc", ENUM, 0, \
	  "file operation (FOP program, versions 330 and 400)") \
	X(glusterfs_hndsk_proc, "glusterfs.hndsk.proc", ENUM, 0, \
	  "handshake procedure (SETVOLUME, GETSPEC, ...)") \
	X(glusterfs_cbk_proc, "glusterfs.cbk.proc", ENUM, 0, \
	  "callback procedure (server to client)") \
	X(gluster_dump_proc, "gluster.dump.proc", ENUM, 0, \
	  "Dump procedure (DUMP, PING)") \
	X(gluster_pmap_proc, "gluster.pmap.proc", ENUM, 0, \
	  "portmap procedure (PORTBYBRICK, SIGNIN, ...)") \
	X(gluster_cli_proc, "gluster.cli.proc", ENUM, 0, \
	  "CLI procedure (CREATE_VOLUME, STATUS_VOLUME, ...)") \
	X(gluster_changelog_proc, "gluster.changelog.proc", ENUM, 0, \
	  "changelog procedure (PROBE_FILTER)") \
	X(gluster_changelog_rev_proc, "gluster.changelog.rev.proc", ENUM, 0, \
	  "changelog event procedure (EVENT)") \
	X(glusterd_mgmt_proc, "glusterd.mgmt.proc", ENUM, 0, \
	  "GlusterD management procedure (versions 2 and 3)") \
	X(glusterd_friend_proc, "glusterd.friend.proc", ENUM, 0, \
	  "GlusterD friend procedure (PROBE_QUERY, FRIEND_ADD, ...)") \
	X(glusterd_brick_proc, "glusterd.brick.proc", ENUM, 0, \
	  "GlusterD brick operation (TERMINATE, ATTACH, ...)") \
	X(glusterd_hndsk_proc, "glusterd.hndsk.proc", ENUM, 0, \
	  "GlusterD op-version handshake procedure") \
	/* file operations: identities and names */ \
	X(glusterfs_gfid, "glusterfs.gfid", GFID, 0, \
	  "GFID of the file or directory operated on") \
	X(glusterfs_pargfid, "glusterfs.pargfid", GFID, 0, \
	  "GFID of the parent directory of bname") \
	X(glusterfs_oldgfid, "glusterfs.oldgfid", GFID, 0, \
	  "RENAME, LINK: GFID of the source's parent (LINK: of the file)") \
	X(glusterfs_newgfid, "glusterfs.newgfid", GFID, 0, \
	  "RENAME, LINK: GFID of the target's parent directory") \
	X(glusterfs_gfid1, "glusterfs.gfid1", GFID, 0, \
	  "COPY_FILE_RANGE: GFID of the source file") \
	X(glusterfs_gfid2, "glusterfs.gfid2", GFID, 0, \
	  "COPY_FILE_RANGE: GFID of the target file") \
	X(glusterfs_bname, "glusterfs.bname", STR, 0, \
	  "base name of the entry in pargfid") \
	X(glusterfs_oldbname, "glusterfs.oldbname", STR, 0, \
	  "RENAME: base name of the source") \
	X(glusterfs_newbname, "glusterfs.newbname", STR, 0, \
	  "RENAME, LINK: base name of the target") \
	X(glusterfs_linkname, "glusterfs.linkname", STR, 0, \
	  "SYMLINK: what the link points to") \
	X(glusterfs_path, "glusterfs.path", STR, 0, \
	  "READLINK reply: the link's target") \
	X(glusterfs_name, "glusterfs.name", STR, 0, \
	  "xattr name (GETXATTR, REMOVEXATTR) or entry-lock name") \
	X(glusterfs_namelen, "glusterfs.namelen", UINT, 0, \
	  "GETXATTR: length of name") \
	X(glusterfs_volume, "glusterfs.volume", STR, 0, \
	  "lock domain of INODELK and ENTRYLK") \
	/* file operations: arguments */ \
	X(glusterfs_fd, "glusterfs.fd", INT, 0, \
	  "file descriptor (the server's number for an open file)") \
	X(glusterfs_fd_in, "glusterfs.fd_in", INT, 0, \
	  "COPY_FILE_RANGE: source descriptor") \
	X(glusterfs_fd_out, "glusterfs.fd_out", INT, 0, \
	  "COPY_FILE_RANGE: target descriptor") \
	X(glusterfs_offset, "glusterfs.offset", UINT, 0, \
	  "byte offset in the file (SEEK reply: the offset found)") \
	X(glusterfs_off_in, "glusterfs.off_in", UINT, 0, \
	  "COPY_FILE_RANGE: offset in the source") \
	X(glusterfs_off_out, "glusterfs.off_out", UINT, 0, \
	  "COPY_FILE_RANGE: offset in the target") \
	X(glusterfs_size, "glusterfs.size", UINT, 0, \
	  "byte count (32 bits): READ, WRITE, READDIR, READLINK, ...") \
	X(glusterfs_size64, "glusterfs.size64", UINT, 0, \
	  "byte count (64 bits): FALLOCATE, DISCARD, ZEROFILL") \
	X(glusterfs_len, "glusterfs.len", UINT, 0, \
	  "RCHECKSUM: bytes to checksum") \
	X(glusterfs_data_length, "glusterfs.data_length", UINT, 0, \
	  "bytes of file data after a WRITE call or READ reply") \
	X(glusterfs_flags, "glusterfs.flags", HEX, 0, \
	  "operation flags; OPEN, CREATE: open flags, named (GF_O_*)", \
	  .also = FIELD_KIND_BIT(FLAGS)) \
	X(glusterfs_xflags, "glusterfs.xflags", HEX, 0, \
	  "UNLINK, RMDIR: extra flags", .also = FIELD_KIND_BIT(INT)) \
	X(glusterfs_mode, "glusterfs.mode", UINT, 0, \
	  "mode of a new file or directory") \
	X(glusterfs_umask, "glusterfs.umask", UINT, 0, \
	  "the caller's umask") \
	X(glusterfs_mask, "glusterfs.mask", HEX, 0, \
	  "ACCESS: the permissions asked for") \
	X(glusterfs_dev, "glusterfs.dev", UINT, 0, \
	  "MKNOD: device number") \
	X(glusterfs_cmd, "glusterfs.cmd", UINT, 0, \
	  "LK, INODELK, ENTRYLK: lock command") \
	X(glusterfs_type, "glusterfs.type", UINT, 0, \
	  "lock type, or ENTRYLK_CONTENTION's entry-lock type") \
	X(glusterfs_whence, "glusterfs.whence", INT, 0, \
	  "SEEK: what to look for (SEEK_DATA, SEEK_HOLE)") \
	X(glusterfs_fsync_flags, "glusterfs.fsync.flags", UINT, 0, \
	  "FSYNC, FSYNCDIR: data-only flag", .also = FIELD_KIND_BIT(INT)) \
	X(glusterfs_entrylk_namelen, "glusterfs.entrylk.namelen", UINT, 0, \
	  "ENTRYLK: length of the locked name") \
	X(glusterfs_ipc_op, "glusterfs.ipc.op", INT, 0, \
	  "IPC: the operation") \
	X(glusterfs_weak_checksum, "glusterfs.weak_checksum", HEX, 0, \
	  "RCHECKSUM reply: the rolling checksum") \
	X(glusterfs_strong_checksum, "glusterfs.strong_checksum", BYTES, 0, \
	  "RCHECKSUM reply: the strong checksum") \
	X(glusterfs_setattr_valid, "glusterfs.setattr.valid", FLAGS, 0, \
	  "SETATTR: which attributes to set (MODE, UID, ..., ATIME, MTIME)") \
	/* attributes: struct iatt (3.x), struct iattx (4.x) */ \
	X(glusterfs_iatt, "glusterfs.iatt", TREE, 0, \
	  "attributes of the file (3.x iatt)") \
	X(glusterfs_iattx, "glusterfs.iattx", TREE, 0, \
	  "attributes of the file (4.x iattx)") \
	X(glusterfs_preop_iatt, "glusterfs.preop_iatt", TREE, 0, \
	  "attributes before the operation (3.x)") \
	X(glusterfs_postop_iatt, "glusterfs.postop_iatt", TREE, 0, \
	  "attributes after the operation (3.x)") \
	X(glusterfs_preparent_iatt, "glusterfs.preparent_iatt", TREE, 0, \
	  "parent's attributes before the operation (3.x)") \
	X(glusterfs_postparent_iatt, "glusterfs.postparent_iatt", TREE, 0, \
	  "parent's attributes after the operation (3.x)") \
	X(glusterfs_preoldparent_iatt, "glusterfs.preoldparent_iatt", TREE, 0, \
	  "RENAME: source parent's attributes before (3.x)") \
	X(glusterfs_postoldparent_iatt, "glusterfs.postoldparent_iatt", TREE, \
	  0, "RENAME: source parent's attributes after (3.x)") \
	X(glusterfs_prenewparent_iatt, "glusterfs.prenewparent_iatt", TREE, 0, \
	  "RENAME: target parent's attributes before (3.x)") \
	X(glusterfs_postnewparent_iatt, "glusterfs.postnewparent_iatt", TREE, \
	  0, "RENAME: target parent's attributes after (3.x)") \
	X(glusterfs_preop_iattx, "glusterfs.preop_iattx", TREE, 0, \
	  "attributes before the operation (4.x)") \
	X(glusterfs_postop_iattx, "glusterfs.postop_iattx", TREE, 0, \
	  "attributes after the operation (4.x)") \
	X(glusterfs_preparent_iattx, "glusterfs.preparent_iattx", TREE, 0, \
	  "parent's attributes before the operation (4.x)") \
	X(glusterfs_postparent_iattx, "glusterfs.postparent_iattx", TREE, 0, \
	  "parent's attributes after the operation (4.x)") \
	X(glusterfs_preoldparent_iattx, "glusterfs.preoldparent_iattx", TREE, \
	  0, "RENAME: source parent's attributes before (4.x)") \
	X(glusterfs_postoldparent_iattx, "glusterfs.postoldparent_iattx", \
	  TREE, 0, "RENAME: source parent's attributes after (4.x)") \
	X(glusterfs_prenewparent_iattx, "glusterfs.prenewparent_iattx", TREE, \
	  0, "RENAME: target parent's attributes before (4.x)") \
	X(glusterfs_postnewparent_iattx, "glusterfs.postnewparent_iattx", \
	  TREE, 0, "RENAME: target parent's attributes after (4.x)") \
	X(glusterfs_ia_gfid, "glusterfs.ia_gfid", GFID, 0, \
	  "attributes: GFID") \
	X(glusterfs_ia_ino, "glusterfs.ia_ino", UINT, 0, \
	  "attributes: inode number") \
	X(glusterfs_ia_dev, "glusterfs.ia_dev", UINT, 0, \
	  "attributes: device") \
	X(glusterfs_ia_rdev, "glusterfs.ia_rdev", UINT, 0, \
	  "attributes: device a special file stands for") \
	X(glusterfs_ia_size, "glusterfs.ia_size", UINT, 0, \
	  "attributes: size, bytes") \
	X(glusterfs_ia_blocks, "glusterfs.ia_blocks", UINT, 0, \
	  "attributes: 512-byte blocks allocated") \
	X(glusterfs_ia_blksize, "glusterfs.ia_blksize", UINT, 0, \
	  "attributes: preferred I/O size") \
	X(glusterfs_ia_mode, "glusterfs.ia_mode", UINT, 0, \
	  "attributes: type and permissions (st_mode)") \
	X(glusterfs_ia_nlink, "glusterfs.ia_nlink", UINT, 0, \
	  "attributes: hard links") \
	X(glusterfs_ia_uid, "glusterfs.ia_uid", UINT, 0, \
	  "attributes: owner's user id") \
	X(glusterfs_ia_gid, "glusterfs.ia_gid", UINT, 0, \
	  "attributes: owner's group id") \
	X(glusterfs_ia_atime, "glusterfs.ia_atime", TIME, 0, \
	  "attributes: access time as sent (4.x signed: -1 stays -1)") \
	X(glusterfs_ia_mtime, "glusterfs.ia_mtime", TIME, 0, \
	  "attributes: modification time as sent") \
	X(glusterfs_ia_ctime, "glusterfs.ia_ctime", TIME, 0, \
	  "attributes: change time as sent") \
	X(glusterfs_ia_btime, "glusterfs.ia_btime", TIME, 0, \
	  "attributes (4.x): birth time") \
	X(glusterfs_iax_flags, "glusterfs.iax_flags", HEX, 0, \
	  "attributes (4.x): which members are valid") \
	X(glusterfs_iax_attributes, "glusterfs.iax_attributes", HEX, 0, \
	  "attributes (4.x): statx attributes") \
	X(glusterfs_iax_attributes_mask, "glusterfs.iax_attributes_mask", HEX, \
	  0, "attributes (4.x): statx attributes supported") \
	X(glusterfs_mdata, "glusterfs.mdata", TREE, 0, \
	  "a 4.x dict's mdata value: the times it holds") \
	/* directory listings, locks, statfs, leases */ \
	X(glusterfs_entries, "glusterfs.entries", INT, 0, \
	  "READDIR(P), GETACTIVELK replies: entries in the list") \
	X(glusterfs_entry, "glusterfs.entry", TREE, 0, \
	  "a directory entry") \
	X(glusterfs_entry_ino, "glusterfs.entry.ino", UINT, 0, \
	  "directory entry: inode number") \
	X(glusterfs_entry_d_off, "glusterfs.entry.d_off", UINT, 0, \
	  "directory entry: offset of the next entry") \
	X(glusterfs_entry_len, "glusterfs.entry.len", UINT, 0, \
	  "directory entry: length of its name") \
	X(glusterfs_entry_d_type, "glusterfs.entry.d_type", UINT, 0, \
	  "directory entry: file type (DT_*)") \
	X(glusterfs_entry_path, "glusterfs.entry.path", STR, 0, \
	  "directory entry: its name") \
	X(glusterfs_flock, "glusterfs.flock", TREE, 0, \
	  "a POSIX lock (struct gf_proto_flock)") \
	X(glusterfs_flock_type, "glusterfs.flock.type", UINT, 0, \
	  "lock: F_RDLCK, F_WRLCK, F_UNLCK") \
	X(glusterfs_flock_whence, "glusterfs.flock.whence", UINT, 0, \
	  "lock: where start counts from") \
	X(glusterfs_flock_start, "glusterfs.flock.start", UINT, 0, \
	  "lock: first byte") \
	X(glusterfs_flock_len, "glusterfs.flock.len", UINT, 0, \
	  "lock: bytes (0: to the end)") \
	X(glusterfs_flock_pid, "glusterfs.flock.pid", INT, 0, \
	  "lock: pid of the owner") \
	X(glusterfs_flock_owner, "glusterfs.flock.owner", BYTES, 0, \
	  "lock: owner") \
	X(glusterfs_lock, "glusterfs.lock", TREE, 0, \
	  "GETACTIVELK, SETACTIVELK: a lock held") \
	X(glusterfs_lock_client_uid, "glusterfs.lock.client_uid", STR, 0, \
	  "lock held: the client's id") \
	X(glusterfs_lock_flags, "glusterfs.lock.flags", HEX, 0, \
	  "lock held: flags") \
	X(glusterfs_statfs, "glusterfs.statfs", TREE, 0, \
	  "STATFS reply: struct statvfs") \
	X(glusterfs_statfs_bsize, "glusterfs.statfs.bsize", UINT, 0, \
	  "statfs: block size") \
	X(glusterfs_statfs_frsize, "glusterfs.statfs.frsize", UINT, 0, \
	  "statfs: fragment size") \
	X(glusterfs_statfs_blocks, "glusterfs.statfs.blocks", UINT, 0, \
	  "statfs: blocks in all") \
	X(glusterfs_statfs_bfree, "glusterfs.statfs.bfree", UINT, 0, \
	  "statfs: free blocks") \
	X(glusterfs_statfs_bavail, "glusterfs.statfs.bavail", UINT, 0, \
	  "statfs: free blocks for unprivileged users") \
	X(glusterfs_statfs_files, "glusterfs.statfs.files", UINT, 0, \
	  "statfs: inodes") \
	X(glusterfs_statfs_ffree, "glusterfs.statfs.ffree", UINT, 0, \
	  "statfs: free inodes") \
	X(glusterfs_statfs_favail, "glusterfs.statfs.favail", UINT, 0, \
	  "statfs: free inodes for unprivileged users") \
	X(glusterfs_statfs_fsid, "glusterfs.statfs.fsid", UINT, 0, \
	  "statfs: file system id") \
	X(glusterfs_statfs_flags, "glusterfs.statfs.flags", UINT, 0, \
	  "statfs: mount flags") \
	X(glusterfs_statfs_namemax, "glusterfs.statfs.namemax", UINT, 0, \
	  "statfs: longest file name") \
	X(glusterfs_lease, "glusterfs.lease", TREE, 0, \
	  "LEASE, RECALL_LEASE: a lease") \
	X(glusterfs_lease_cmd, "glusterfs.lease.cmd", UINT, 0, \
	  "lease: command") \
	X(glusterfs_lease_type, "glusterfs.lease.type", UINT, 0, \
	  "lease: type") \
	X(glusterfs_lease_id, "glusterfs.lease.id", BYTES, 0, \
	  "lease: id") \
	X(glusterfs_lease_flags, "glusterfs.lease.flags", HEX, 0, \
	  "lease: flags") \
	/* dicts */ \
	X(glusterfs_xdata, "glusterfs.xdata", TREE, 0, \
	  "extra data dict sent with an operation") \
	X(glusterfs_dict, "glusterfs.dict", TREE, 0, \
	  "a dict argument or result (xattrs, READDIRP entries)") \
	X(glusterfs_xattr, "glusterfs.xattr", TREE, 0, \
	  "PUT: the xattrs to set") \
	X(glusterfs_dict_xdr_size, "glusterfs.dict_xdr_size", UINT, 0, \
	  "4.x dict: its size as the sender counted it") \
	X(glusterfs_dict_key, "glusterfs.dict.key", STR, 0, \
	  "dict: a key (its value follows)") \
	X(glusterfs_dict_value, "glusterfs.dict.value", STR, 0, \
	  "dict: the value of the key before it (4.x: typed)", \
	  .also = FIELD_KIND_BIT(BYTES) | FIELD_KIND_BIT(GFID) | \
		  FIELD_KIND_BIT(INT) | FIELD_KIND_BIT(UINT)) \
	/* handshake (GF-HNDSK) */ \
	X(glusterfs_hndsk_dict, "glusterfs.hndsk.dict", TREE, 0, \
	  "handshake dict: SETVOLUME's client identity and answer, ...") \
	X(glusterfs_hndsk_flags, "glusterfs.hndsk.flags", HEX, 0, \
	  "GETSPEC: flags") \
	X(glusterfs_hndsk_getspec_key, "glusterfs.hndsk.getspec.key", STR, 0, \
	  "GETSPEC: the volume whose volfile is asked for") \
	X(glusterfs_hndsk_getspec, "glusterfs.hndsk.getspec", STR, 0, \
	  "GETSPEC reply: the volfile") \
	X(glusterfs_hndsk_uid, "glusterfs.hndsk.uid", STR, 0, \
	  "SET_LK_VER: the client's id") \
	X(glusterfs_hndsk_lk_ver, "glusterfs.hndsk.lk_ver", INT, 0, \
	  "SET_LK_VER: lock version") \
	X(glusterfs_hndsk_event_notify_op, "glusterfs.hndsk.event_notify_op", \
	  INT, 0, "EVENT_NOTIFY: the event") \
	X(glusterfs_hndsk_getvolumeinfo_op_errstr, \
	  "glusterfs.hndsk.getvolumeinfo.op_errstr", STR, 0, \
	  "GET_VOLUME_INFO reply: the error text") \
	/* callbacks (GF-CBK) */ \
	X(glusterfs_cbk_gfid, "glusterfs.cbk.gfid", GFID, 0, \
	  "callback: GFID of the file (CACHE_INVALIDATION sends it as text)", \
	  .also = FIELD_KIND_BIT(STR)) \
	X(glusterfs_cbk_tid, "glusterfs.cbk.tid", GFID, 0, \
	  "RECALL_LEASE: the lease's transaction id") \
	X(glusterfs_cbk_domain, "glusterfs.cbk.domain", STR, 0, \
	  "lock contention: the lock domain") \
	X(glusterfs_cbk_upcall_event_type, "glusterfs.cbk.upcall.event_type", \
	  UINT, 0, "CACHE_INVALIDATION: the upcall event") \
	X(glusterfs_cbk_cache_invalidation_flags, \
	  "glusterfs.cbk.cache_invalidation.flags", HEX, 0, \
	  "CACHE_INVALIDATION: what changed") \
	X(glusterfs_cbk_cache_invalidation_expire_time_attr, \
	  "glusterfs.cbk.cache_invalidation.expire_time_attr", UINT, 0, \
	  "CACHE_INVALIDATION: seconds the attributes stay valid") \
	X(glusterfs_cbk_cache_invalidation_stat, \
	  "glusterfs.cbk.cache_invalidation.stat", TREE, 0, \
	  "CACHE_INVALIDATION: the file's attributes") \
	X(glusterfs_cbk_cache_invalidation_parent_stat, \
	  "glusterfs.cbk.cache_invalidation.parent.stat", TREE, 0, \
	  "CACHE_INVALIDATION: the parent's attributes") \
	X(glusterfs_cbk_cache_invalidation_oldparent_stat, \
	  "glusterfs.cbk.cache_invalidation.oldparent.stat", TREE, 0, \
	  "CACHE_INVALIDATION: the former parent's attributes") \
	/* Dump, portmap */ \
	X(gluster_gfsid, "gluster.gfsid", UINT, 0, \
	  "DUMP: the caller's id") \
	X(gluster_dump_prog, "gluster.dump.prog", TREE, 0, \
	  "DUMP reply: a program the server offers") \
	X(gluster_dump_progname, "gluster.dump.progname", STR, 0, \
	  "DUMP reply: program name") \
	X(gluster_dump_prognum, "gluster.dump.prognum", UINT, 0, \
	  "DUMP reply: program number") \
	X(gluster_dump_progver, "gluster.dump.progver", UINT, 0, \
	  "DUMP reply: program version") \
	X(gluster_brick, "gluster.brick", STR, 0, \
	  "portmap: the brick's path") \
	X(gluster_brick_port, "gluster.brick.port", INT, 0, \
	  "portmap: the brick's TCP port") \
	X(gluster_brick_status, "gluster.brick.status", INT, 0, \
	  "portmap reply: 0 found") \
	X(gluster_pid, "gluster.pid", UINT, 0, \
	  "a process id (SIGNIN, STATEDUMP, lock contention)", \
	  .also = FIELD_KIND_BIT(INT)) \
	X(gluster_rdma_port, "gluster.rdma_port", INT, 0, \
	  "SIGNOUT: the brick's RDMA port") \
	/* CLI */ \
	X(gluster_dict, "gluster.dict", TREE, 0, \
	  "CLI: the request's or answer's dict") \
	X(gluster_flag, "gluster.flag", INT, 0, \
	  "LIST_FRIENDS: flags") \
	X(gluster_friends, "gluster.friends", TREE, 0, \
	  "LIST_FRIENDS reply: the peers") \
	X(gluster_name, "gluster.name", STR, 0, \
	  "FSM_LOG: the peer asked about") \
	X(gluster_fsm_log, "gluster.fsm_log", TREE, 0, \
	  "FSM_LOG reply: the log") \
	X(gluster_unused, "gluster.unused", INT, 0, \
	  "GETWD: the unused argument") \
	X(gluster_wd, "gluster.wd", STR, 0, \
	  "GETWD reply: glusterd's working directory") \
	X(gluster_label, "gluster.label", STR, 0, \
	  "MOUNT: the label") \
	X(gluster_path, "gluster.path", STR, 0, \
	  "MOUNT reply, UMOUNT: the mount point") \
	X(gluster_lazy, "gluster.lazy", INT, 0, \
	  "UMOUNT: lazy unmount") \
	/* changelog */ \
	X(gluster_changelog_filter, "gluster.changelog.filter", HEX, 0, \
	  "PROBE_FILTER: the events asked for") \
	X(gluster_changelog_sock, "gluster.changelog.sock", STR, 0, \
	  "PROBE_FILTER: the caller's socket path") \
	X(gluster_changelog_seq, "gluster.changelog.seq", UINT, 0, \
	  "changelog event: sequence number") \
	X(gluster_changelog_tv_sec, "gluster.changelog.tv_sec", UINT, 0, \
	  "changelog event: seconds") \
	X(gluster_changelog_tv_usec, "gluster.changelog.tv_usec", UINT, 0, \
	  "changelog event: microseconds") \
	/* GlusterD */ \
	X(glusterd_uuid, "glusterd.uuid", GFID, 0, \
	  "the sending glusterd's UUID") \
	X(glusterd_tnx_id, "glusterd.tnx_id", GFID, 0, \
	  "management v3: the transaction id") \
	X(glusterd_op, "glusterd.op", INT, 0, \
	  "the cluster operation (GD_OP_*)") \
	X(glusterd_op_ret, "glusterd.op_ret", INT, 0, \
	  "POST_VALIDATE: the operation's result") \
	X(glusterd_op_errstr, "glusterd.op_errstr", STR, 0, \
	  "the error text") \
	X(glusterd_hostname, "glusterd.hostname", STR, 0, \
	  "the peer's host name") \
	X(glusterd_port, "glusterd.port", INT, 0, \
	  "the peer's glusterd port") \
	X(glusterd_dict, "glusterd.dict", TREE, 0, \
	  "the operation's dict") \
	X(glusterd_buffer, "glusterd.buffer", TREE, 0, \
	  "management v2: the request's dict") \
	X(glusterd_vols, "glusterd.vols", TREE, 0, \
	  "FRIEND_ADD: the volumes") \
	X(glusterd_friends, "glusterd.friends", TREE, 0, \
	  "FRIEND_UPDATE: the peers") \
	X(glusterd_name, "glusterd.name", STR, 0, \
	  "brick operation: the brick") \
	X(glusterd_input, "glusterd.input", TREE, 0, \
	  "brick operation: the input dict") \
	X(glusterd_output, "glusterd.output", TREE, 0, \
	  "brick operation reply: the output dict") \
	X(glusterd_hndsk, "glusterd.hndsk", TREE, 0, \
	  "op-version handshake: the versions dict")

FIELD_TABLE_DECLARE(gluster_fields, GLUSTER_FIELDS)

#endif
