"""The POSIX spec (posix/spec/) and the support database computed from it.

    from bkport.posixspec import load_spec, load_support
    spec = load_spec()
    db = load_support("blueos", spec=spec)
"""

from bkport.posixspec.loader import load_spec, load_spec_from
from bkport.posixspec.model import Interface, PosixSpec

__all__ = ["Interface", "PosixSpec", "load_spec", "load_spec_from"]

from bkport.posixspec.support import Support, SupportDB, load_support  # noqa: E402

__all__ += ["Support", "SupportDB", "load_support"]
