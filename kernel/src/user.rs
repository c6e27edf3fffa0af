//! The app's side of start-up and thread exit. These functions run in the app's (unprivileged)
//! mode and enter the kernel only through the trap, like any app code.
use alloc::vec::Vec;

use crate::arch::{Arch, Cpu, Frame, TrapFrame};
use crate::syscall_table::NR;

extern "C" {
    /// The app's entry point: `int app_main(int argc, char **argv, char **envp)`.
    fn app_main(argc: isize, argv: *const *const u8, envp: *const *const u8) -> i32;
}

/// Where the main thread finds its arguments (in app memory).
#[repr(C)]
struct MainArgs {
    argc: usize,
    argv: *const *const u8,
    envp: *const *const u8,
}

/// Runs unprivileged: call the app's main, then end the process with its status.
extern "C" fn bk_main_thread(a: *const MainArgs) -> ! {
    // SAFETY: `a` was built by `main_thread` in app memory and is never freed.
    let status = unsafe { app_main((*a).argc as isize, (*a).argv, (*a).envp) };
    Cpu::user_syscall(NR::ExitProcess as usize, status as usize);
    loop {}
}

/// A thread's entry function returned: end the thread.
#[no_mangle]
extern "C" fn bk_thread_returned() -> ! {
    Cpu::user_syscall(NR::ExitThread as usize, 0);
    loop {}
}

fn ualloc(size: usize) -> usize {
    match crate::heap::user_alloc(size, 16) {
        Some(a) => a,
        None => crate::halt::kernel_fault(format_args!("no app memory for argv/stack")),
    }
}

/// Copy argv/env into app memory and make the main thread's frame.
pub fn main_thread(args: &[&[u8]], env: &[&[u8]]) -> TrapFrame {
    let mut ptrs: Vec<usize> = Vec::new();
    for s in args.iter().chain(env.iter()) {
        let a = ualloc(s.len() + 1);
        // SAFETY: `a` is a fresh app allocation of len+1 bytes.
        unsafe {
            core::ptr::copy_nonoverlapping(s.as_ptr(), a as *mut u8, s.len());
            *((a + s.len()) as *mut u8) = 0;
        }
        ptrs.push(a);
    }
    let n = args.len();
    let vec = ualloc((ptrs.len() + 2) * core::mem::size_of::<usize>()) as *mut usize;
    // SAFETY: `vec` has room for argv, NULL, envp, NULL.
    unsafe {
        for (i, p) in ptrs[..n].iter().enumerate() {
            *vec.add(i) = *p;
        }
        *vec.add(n) = 0;
        for (i, p) in ptrs[n..].iter().enumerate() {
            *vec.add(n + 1 + i) = *p;
        }
        *vec.add(ptrs.len() + 1) = 0;
    }
    let ma = ualloc(core::mem::size_of::<MainArgs>()) as *mut MainArgs;
    // SAFETY: fresh app allocation of the right size.
    unsafe {
        ma.write(MainArgs {
            argc: n,
            argv: vec as *const *const u8,
            envp: vec.add(n + 1) as *const *const u8,
        })
    };
    let stack = ualloc(boot_stack());
    crate::sched::with(|s| s.main_stack = (stack, boot_stack()));
    TrapFrame::new_thread(bk_main_thread as usize, ma as usize, stack + boot_stack(),
                          Cpu::exit_trampoline())
}

fn boot_stack() -> usize {
    crate::run::with(|b| b.main_stack)
}
