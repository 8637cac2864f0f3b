# src/gluster.mk
