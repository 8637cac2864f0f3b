# src/output.mk
