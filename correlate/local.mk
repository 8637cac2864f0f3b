# correlate/local.mk
