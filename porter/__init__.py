"""bkport: POSIX compatibility layer and porting toolkit for BlueKernel."""

__version__ = "0.2.0"
