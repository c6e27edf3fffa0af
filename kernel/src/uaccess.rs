//! The user-pointer hook of the generated table: which addresses belong to the app.
//!
//! The app may write [__user_start, __ram_end) (its data, bss, heap and stacks) and may also read
//! the image's code and constants [__image_start, __ro_end). The kernel-private region (kernel
//! state, kernel stack, kernel heap with the file system) lies between them and is never the
//! app's, so a pointer into it answers -EFAULT.
use alloc::vec::Vec;

use crate::syscall_table::{c_int, EFAULT, ENAMETOOLONG};

extern "C" {
    static __image_start: u8;
    static __ro_end: u8;
    static __user_start: u8;
    static __ram_end: u8;
}

fn bounds() -> (usize, usize, usize, usize) {
    // SAFETY: linker-defined symbols; only their addresses are taken.
    unsafe {
        (&__image_start as *const u8 as usize, &__ro_end as *const u8 as usize,
         &__user_start as *const u8 as usize, &__ram_end as *const u8 as usize)
    }
}

pub fn check_user(addr: usize, len: usize, write: bool) -> bool {
    let end = match addr.checked_add(len) {
        Some(e) => e,
        None => return false,
    };
    let (ro_s, ro_e, us, ue) = bounds();
    if addr >= us && end <= ue {
        return true;
    }
    !write && addr >= ro_s && end <= ro_e
}

pub const PATH_MAX: usize = 1024;

/// Copy a NUL-terminated string from the app, checking every byte.
pub fn cstr(ptr: *const u8) -> Result<Vec<u8>, c_int> {
    let mut v = Vec::new();
    let mut p = ptr as usize;
    loop {
        if !check_user(p, 1, false) {
            return Err(EFAULT);
        }
        // SAFETY: the byte at p is in the app's readable memory.
        let b = unsafe { *(p as *const u8) };
        if b == 0 {
            return Ok(v);
        }
        if v.len() >= PATH_MAX {
            return Err(ENAMETOOLONG);
        }
        v.push(b);
        p += 1;
    }
}

/// Copy `data` out to the app at `ptr` (the range must be checked writable).
pub fn copy_out(ptr: usize, data: &[u8]) -> Result<(), c_int> {
    if !check_user(ptr, data.len(), true) {
        return Err(EFAULT);
    }
    // SAFETY: the destination range is app memory, checked writable just above.
    unsafe { core::ptr::copy_nonoverlapping(data.as_ptr(), ptr as *mut u8, data.len()) };
    Ok(())
}

/// Write a plain value out to the app at `ptr`.
pub fn put<T: Copy>(ptr: usize, v: T) -> Result<(), c_int> {
    if !check_user(ptr, core::mem::size_of::<T>(), true) {
        return Err(EFAULT);
    }
    // SAFETY: checked writable; unaligned write is allowed for any T: Copy.
    unsafe { (ptr as *mut T).write_unaligned(v) };
    Ok(())
}

/// Read a plain value from the app at `ptr`.
pub fn get<T: Copy>(ptr: usize) -> Result<T, c_int> {
    if !check_user(ptr, core::mem::size_of::<T>(), false) {
        return Err(EFAULT);
    }
    // SAFETY: checked readable; T is plain data for every caller.
    Ok(unsafe { (ptr as *const T).read_unaligned() })
}

extern "C" {
    static __text_end: u8;
}

/// `addr` lies in the image's code (thread entry points must).
pub fn is_code(addr: usize) -> bool {
    // SAFETY: linker-defined symbols; only their addresses are taken.
    let (s, e) = unsafe { (&__image_start as *const u8 as usize, &__text_end as *const u8 as usize) };
    addr >= s && addr < e
}
