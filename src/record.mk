# src/record.mk
