//! The smallest app: print a line, exit with status 0. Used for boot-to-exit time and sizes.
use crate::bk_syscall::syscall6;
use crate::bk_syscall::NR;

#[no_mangle]
pub extern "C" fn app_main(_argc: isize, _argv: *const *const u8, _envp: *const *const u8) -> i32 {
    let msg = b"hello from bkport kernel\n";
    // SAFETY: msg is in the image's read-only data, which the app may pass to write.
    unsafe { syscall6(NR::Write as usize, 1, msg.as_ptr() as usize, msg.len(), 0, 0, 0) };
    0
}
