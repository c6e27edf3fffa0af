"""The validation kernel: build an image for a board (`build`); runs go through
`bkport.toolchain.qemu`."""
