"""`bkport shim`: the pieces a port needs for the APIs its platform profile lacks."""
