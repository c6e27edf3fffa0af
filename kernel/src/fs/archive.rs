//! The initial files in at boot and the whole tree out at exit (newc cpio): the core's
//! (kernel/core/archive.rs) on the kernel's file system.
pub use crate::kcore::archive::Archive;

/// Install every entry of the initial-files archive, or say where it is malformed.
pub fn unpack(archive: &[u8]) -> Result<(), &'static str> {
    super::with(|f| {
        crate::kcore::archive::unpack_each(f, archive, |data| {
            // The entry's bytes are copied: on a board with a blob file pool they hold file data next.
            crate::heap::pool_release_below(data.as_ptr() as usize + data.len())
        })
    })
}

/// The whole tree as a newc archive, for the host (at exit: nothing changes it afterwards).
pub fn export() -> Archive {
    super::with(|f| crate::kcore::archive::export(f))
}
