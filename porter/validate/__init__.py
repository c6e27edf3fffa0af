"""`bkport validate`: ported apps proved on QEMU with their own test suites."""
