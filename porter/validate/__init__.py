"""`bkport validate`: ported apps proved on QEMU with their own test suites.

The command (cli.py) dispatches on the recipe's test driver with the options of options.py;
runapplet.py, server.py and client.py carry a test suite's calls of the app to QEMU, for any
driver that runs the app's own test scripts on the host."""
