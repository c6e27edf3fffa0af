"""The busybox port: recipe in apps/busybox/, host configuration, cross build for the boards."""
