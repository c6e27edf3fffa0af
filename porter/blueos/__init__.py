"""BlueKernel's facts as bkport's own data: the snapshot in `data/`, its model, and the importer
that refreshes it from a kernel / librs source checkout."""

from bkport.blueos.facts import BlueosFacts, KernelCall, LibrsFunction, Provenance, load_facts

__all__ = ["BlueosFacts", "KernelCall", "LibrsFunction", "Provenance", "load_facts"]
