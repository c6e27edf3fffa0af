"""`bkport analyze`: what a C project needs from the platform, and what to do about it."""
