# src/wire.mk
