//! The C memory routines the compiler expects (`memcpy`, `memset`, `memmove`, `memcmp`, `bcmp`).
//! A crate of its own so that `no_builtins` stops LLVM from turning these loops into calls to
//! themselves.
#![no_std]
#![no_builtins]
#![allow(clippy::missing_safety_doc)]

const W: usize = core::mem::size_of::<usize>();

#[no_mangle]
pub unsafe extern "C" fn memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    let mut i = 0;
    if (dst as usize | src as usize) % W == 0 {
        while i + W <= n {
            // SAFETY: both pointers are word-aligned and the caller guarantees n valid bytes.
            *(dst.add(i) as *mut usize) = *(src.add(i) as *const usize);
            i += W;
        }
    }
    while i < n {
        // SAFETY: the caller guarantees n valid, non-overlapping bytes.
        *dst.add(i) = *src.add(i);
        i += 1;
    }
    dst
}

#[no_mangle]
pub unsafe extern "C" fn memmove(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    if (dst as usize) <= (src as usize) || (dst as usize) >= (src as usize + n) {
        // SAFETY: a forward copy is correct when dst does not start inside src.
        return memcpy(dst, src, n);
    }
    let mut i = n;
    while i > 0 {
        i -= 1;
        // SAFETY: copying backwards handles the overlap; the caller guarantees n valid bytes.
        *dst.add(i) = *src.add(i);
    }
    dst
}

#[no_mangle]
pub unsafe extern "C" fn memset(dst: *mut u8, c: i32, n: usize) -> *mut u8 {
    let mut i = 0;
    let b = c as u8;
    if (dst as usize) % W == 0 {
        let word = usize::from_ne_bytes([b; W]);
        while i + W <= n {
            // SAFETY: dst is word-aligned and the caller guarantees n writable bytes.
            *(dst.add(i) as *mut usize) = word;
            i += W;
        }
    }
    while i < n {
        // SAFETY: the caller guarantees n writable bytes.
        *dst.add(i) = b;
        i += 1;
    }
    dst
}

#[no_mangle]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    let mut i = 0;
    while i < n {
        // SAFETY: the caller guarantees n readable bytes on both sides.
        let (x, y) = (*a.add(i), *b.add(i));
        if x != y {
            return x as i32 - y as i32;
        }
        i += 1;
    }
    0
}

#[no_mangle]
pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    // SAFETY: same contract as memcmp.
    memcmp(a, b, n)
}

#[no_mangle]
pub unsafe extern "C" fn strlen(s: *const u8) -> usize {
    let mut n = 0;
    // SAFETY: the caller guarantees a NUL-terminated string.
    while *s.add(n) != 0 {
        n += 1;
    }
    n
}

/// Shift-and-subtract 64-bit division (no hardware 64-bit divide on 32-bit targets; this must
/// not itself use `/` on u64, which would call back into these routines).
#[no_mangle]
pub extern "C" fn __udivmoddi4(n: u64, d: u64, rem: *mut u64) -> u64 {
    if d == 0 {
        if !rem.is_null() {
            // SAFETY: the caller passes a valid out-pointer or NULL.
            unsafe { *rem = n };
        }
        return u64::MAX;
    }
    let mut q: u64 = 0;
    let mut r: u64 = 0;
    let mut i = 64;
    while i > 0 {
        i -= 1;
        r = (r << 1) | ((n >> i) & 1);
        if r >= d {
            r -= d;
            q |= 1 << i;
        }
    }
    if !rem.is_null() {
        // SAFETY: the caller passes a valid out-pointer or NULL.
        unsafe { *rem = r };
    }
    q
}

#[cfg(target_pointer_width = "32")]
mod div32 {
    use super::__udivmoddi4;

    #[no_mangle]
    pub extern "C" fn __udivdi3(n: u64, d: u64) -> u64 {
        __udivmoddi4(n, d, core::ptr::null_mut())
    }

    #[no_mangle]
    pub extern "C" fn __umoddi3(n: u64, d: u64) -> u64 {
        let mut r = 0;
        __udivmoddi4(n, d, &mut r);
        r
    }

    #[no_mangle]
    pub extern "C" fn __divmoddi4(a: i64, b: i64, rem: *mut i64) -> i64 {
        let neg_q = (a < 0) != (b < 0);
        let mut r: u64 = 0;
        let q = __udivmoddi4(a.unsigned_abs(), b.unsigned_abs(), &mut r) as i64;
        if !rem.is_null() {
            let r = r as i64;
            // SAFETY: the caller passes a valid out-pointer or NULL.
            unsafe { *rem = if a < 0 { r.wrapping_neg() } else { r } };
        }
        if neg_q { q.wrapping_neg() } else { q }
    }

    #[no_mangle]
    pub extern "C" fn __divdi3(a: i64, b: i64) -> i64 {
        __divmoddi4(a, b, core::ptr::null_mut())
    }

    #[no_mangle]
    pub extern "C" fn __moddi3(a: i64, b: i64) -> i64 {
        let mut r = 0;
        __divmoddi4(a, b, &mut r);
        r
    }
}

#[cfg(target_arch = "arm")]
mod aeabi {
    use super::{memcpy, memmove, memset};

    core::arch::global_asm!(
        r#"
        .syntax unified
        .thumb
        .global __aeabi_uldivmod
        .thumb_func
    __aeabi_uldivmod:
        push {{r4, lr}}
        sub sp, sp, #16
        add r4, sp, #8
        str r4, [sp]
        bl __udivmoddi4
        ldr r2, [sp, #8]
        ldr r3, [sp, #12]
        add sp, sp, #16
        pop {{r4, pc}}

        .global __aeabi_ldivmod
        .thumb_func
    __aeabi_ldivmod:
        push {{r4, lr}}
        sub sp, sp, #16
        add r4, sp, #8
        str r4, [sp]
        bl __divmoddi4
        ldr r2, [sp, #8]
        ldr r3, [sp, #12]
        add sp, sp, #16
        pop {{r4, pc}}
    "#
    );

    #[no_mangle]
    pub unsafe extern "C" fn __aeabi_memcpy(d: *mut u8, s: *const u8, n: usize) {
        // SAFETY: same contract as memcpy.
        memcpy(d, s, n);
    }
    #[no_mangle]
    pub unsafe extern "C" fn __aeabi_memcpy4(d: *mut u8, s: *const u8, n: usize) {
        // SAFETY: same contract as memcpy.
        memcpy(d, s, n);
    }
    #[no_mangle]
    pub unsafe extern "C" fn __aeabi_memcpy8(d: *mut u8, s: *const u8, n: usize) {
        // SAFETY: same contract as memcpy.
        memcpy(d, s, n);
    }
    #[no_mangle]
    pub unsafe extern "C" fn __aeabi_memmove(d: *mut u8, s: *const u8, n: usize) {
        // SAFETY: same contract as memmove.
        memmove(d, s, n);
    }
    #[no_mangle]
    pub unsafe extern "C" fn __aeabi_memmove4(d: *mut u8, s: *const u8, n: usize) {
        // SAFETY: same contract as memmove.
        memmove(d, s, n);
    }
    #[no_mangle]
    pub unsafe extern "C" fn __aeabi_memmove8(d: *mut u8, s: *const u8, n: usize) {
        // SAFETY: same contract as memmove.
        memmove(d, s, n);
    }
    #[no_mangle]
    pub unsafe extern "C" fn __aeabi_memset(d: *mut u8, n: usize, c: i32) {
        // SAFETY: same contract as memset (EABI swaps the argument order).
        memset(d, c, n);
    }
    #[no_mangle]
    pub unsafe extern "C" fn __aeabi_memset4(d: *mut u8, n: usize, c: i32) {
        // SAFETY: same contract as memset.
        memset(d, c, n);
    }
    #[no_mangle]
    pub unsafe extern "C" fn __aeabi_memset8(d: *mut u8, n: usize, c: i32) {
        // SAFETY: same contract as memset.
        memset(d, c, n);
    }
    #[no_mangle]
    pub unsafe extern "C" fn __aeabi_memclr(d: *mut u8, n: usize) {
        // SAFETY: same contract as memset.
        memset(d, 0, n);
    }
    #[no_mangle]
    pub unsafe extern "C" fn __aeabi_memclr4(d: *mut u8, n: usize) {
        // SAFETY: same contract as memset.
        memset(d, 0, n);
    }
    #[no_mangle]
    pub unsafe extern "C" fn __aeabi_memclr8(d: *mut u8, n: usize) {
        // SAFETY: same contract as memset.
        memset(d, 0, n);
    }
}
