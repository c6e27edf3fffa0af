"""`bkport build`: the POSIX layer compiled per architecture, and apps linked with it."""
