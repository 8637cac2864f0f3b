# tests/lab
