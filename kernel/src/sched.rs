//! Threads, priority-preemptive scheduling (SCHED_FIFO / SCHED_RR / SCHED_OTHER), round-robin
//! among equals on the timer tick, per-thread CPU time, futexes and sleeping.
//!
//! The queue policy (which thread runs next, which waiters a wake or a deadline releases, which
//! slot a new thread takes) is `kcore::runq`, tested on the host; this file keeps the threads,
//! their frames and stacks, and the switching.
//!
//! A blocked thread keeps its saved frame; whoever wakes it writes its syscall result there.
//! When nothing is runnable the kernel waits for the next deadline in `idle`; when nothing is
//! runnable and nothing has a deadline, the run is deadlocked and ends as a fault.
use alloc::vec::Vec;

use crate::arch::{Arch, Cpu, Frame, SwitchState, TrapFrame};
use crate::global::Global;
use crate::kcore::runq::{self, Expired, Slot};
use crate::syscall_table::{c_int, EAGAIN, ETIMEDOUT};

pub use crate::kcore::runq::State;

/// Threads at once, main included: main and 64 others, as {PTHREAD_THREADS_MAX} (64, POSIX's
/// minimum {_POSIX_THREAD_THREADS_MAX}) counts the threads a process can create. A slot is under
/// 1 KiB of kernel heap (AArch64's frame with the FP registers is the largest); the stacks are
/// the app's, from its own heap.
pub const MAX_THREADS: usize = 65;

pub struct Thread {
    pub tid: usize,
    pub state: State,
    pub frame: TrapFrame,
    pub regs: SwitchState,
    /// Higher runs first: the highest-priority ready thread always runs (`pick`).
    pub prio: i32,
    /// Linux's SCHED_OTHER (0), SCHED_FIFO (1) or SCHED_RR (2): FIFO is not preempted by the
    /// tick for a thread of its own priority, the others share the CPU on the tick.
    pub policy: i32,
    /// CPU time the thread has run, charged at every switch away from it (`after_trap`).
    pub cpu_ns: u64,
    /// The thread's stack, [lo, lo + size): its lowest word holds `STACK_CANARY`.
    pub stack: (usize, usize),
}

impl Slot for Thread {
    fn state(&self) -> State {
        self.state
    }
    fn set_state(&mut self, s: State) {
        self.state = s;
    }
    fn prio(&self) -> i32 {
        self.prio
    }
    fn fifo(&self) -> bool {
        self.policy == 1
    }
}

/// Written at the lowest word of every thread's stack and checked at every trap from the thread:
/// a thread that ran past its stack has overwritten it (or its stack pointer is below it). The
/// floor of overflow detection on every board, MPU or not.
const STACK_CANARY: usize = 0x5354_4143_u32 as usize; // "CATS" little-endian

/// Every other word of a new stack, so the deepest word ever written shows the high-water mark.
const STACK_PAINT: usize = 0xA5A5_A5A5_u32 as usize;
/// The top of a new stack holds the thread's first frame (Cortex-M's hardware frame): unpainted.
const STACK_TOP_KEEP: usize = 256;

fn guard(stack: (usize, usize)) {
    let (lo, size) = stack;
    if size == 0 {
        return;
    }
    let w = core::mem::size_of::<usize>();
    // SAFETY: `stack` is the thread's own app-memory stack, checked by its creator, and not yet
    // running; its top STACK_TOP_KEEP bytes are left as the creator wrote them.
    unsafe {
        (lo as *mut usize).write_volatile(STACK_CANARY);
        let mut a = lo + w;
        while a + STACK_TOP_KEEP <= lo + size {
            (a as *mut usize).write_volatile(STACK_PAINT);
            a += w;
        }
    }
}

/// Bytes of a thread's stack ever used: from its top down to the deepest word no longer paint.
fn stack_used(stack: (usize, usize)) -> usize {
    let (lo, size) = stack;
    let w = core::mem::size_of::<usize>();
    let mut a = lo + w;
    // SAFETY: the thread's own stack, still allocated (a live thread, or one exiting now).
    while a + STACK_TOP_KEEP <= lo + size && unsafe { (a as *const usize).read_volatile() } == STACK_PAINT {
        a += w;
    }
    lo + size - a
}

/// (tid, bytes used, size) of each thread's stack, for the run's record: the threads that exited
/// (kept when they exit, while their stacks still exist), then the live ones.
pub fn stack_marks() -> Vec<(usize, usize, usize)> {
    with(|s| {
        let mut out = s.finished.clone();
        for t in s.threads.iter().filter(|t| t.state != State::Dead && t.stack.1 != 0) {
            out.push((t.tid, stack_used(t.stack), t.stack.1));
        }
        out
    })
}

/// Bytes of the hardware guard at the bottom of a stack (arch `set_stack_guard`: MPU, PMP). A
/// power of two, aligned to itself: the unit PMSAv7 regions and PMP NAPOT entries need.
pub const GUARD: usize = 64;

/// The guard region [lo, hi) inside `stack`, the first GUARD-aligned bytes above its lowest word
/// (inside: memory below a stack is another allocation the thread may use); none for a stack too
/// small to give it up.
pub fn guard_range(stack: (usize, usize)) -> Option<(usize, usize)> {
    let (lo, size) = stack;
    let g = (lo + core::mem::size_of::<usize>() + GUARD - 1) & !(GUARD - 1);
    (size >= 16 * GUARD && g + GUARD <= lo + size).then_some((g, g + GUARD))
}

/// `Some(message)` when the current thread has run past its stack. At a trap the frame gives
/// `sp` and `pc`; a fault gives what the hardware saved (Cortex-M loses the pc when the fault hit
/// the stacking of an exception frame) and the address it touched when known (`fault`): one in
/// the stack's guard, or the stack pointer below the guard's top, is an overflow.
pub fn stack_overflow(sp: Option<usize>, pc: Option<usize>, fault: Option<usize>)
                      -> Option<alloc::string::String> {
    with(|s| overflow_of(s, sp, pc, fault))
}

fn overflow_of(s: &Sched, sp: Option<usize>, pc: Option<usize>, fault: Option<usize>)
               -> Option<alloc::string::String> {
    let t = s.threads.get(s.cur)?;
    let (lo, size) = t.stack;
    if size == 0 {
        return None;
    }
    // SAFETY: the stack's lowest word, app memory the thread was given.
    let canary = unsafe { (lo as *const usize).read_volatile() };
    let floor = guard_range(t.stack).map_or(lo + core::mem::size_of::<usize>(), |g| g.1);
    let in_guard = fault.map_or(false, |a| a >= lo && a < floor);
    if canary == STACK_CANARY && !in_guard && sp.map_or(true, |sp| sp >= floor) {
        return None;
    }
    let main = if t.tid == 1 { " (main)" } else { "" };
    let mut msg = alloc::format!("stack overflow in thread {}{}, size {} (stack {:#x}-{:#x})",
                                 t.tid, main, size, lo, lo + size);
    if let Some(pc) = pc {
        msg.push_str(&alloc::format!(" pc={:#x}", pc));
    }
    Some(msg)
}

pub struct Sched {
    pub threads: Vec<Thread>,
    /// The main thread's stack, made by `user::main_thread` before `start`.
    pub main_stack: (usize, usize),
    /// Stack high-water marks of the threads that exited (`stack_marks`; the first 256).
    finished: Vec<(usize, usize, usize)>,
    pub cur: usize,
    pub resched: bool,
    next_tid: usize,
    pub switches: u64,
    /// When the current thread was switched in (CPU time accounting).
    ran_from: u64,
    /// CPU time of the threads whose slots were reused (the process's CPU clock keeps it).
    dead_cpu_ns: u64,
    /// The current thread called sched_yield: even a SCHED_FIFO thread gives way to its equals.
    yielded: bool,
}

#[link_section = ".kdata"]
static SCHED: Global<Sched> =
    Global::new(Sched { threads: Vec::new(), main_stack: (0, 0), finished: Vec::new(), cur: 0, resched: false, next_tid: 1, switches: 0,
                        ran_from: 0, dead_cpu_ns: 0, yielded: false });

/// The scheduler's state for the length of `f` (`Global::with`: not from inside another `with`).
#[track_caller]
pub fn with<R>(f: impl FnOnce(&mut Sched) -> R) -> R {
    SCHED.with(f)
}

/// The current thread's id, or 0 when there is none or the scheduler is the state that failed
/// (the fault path).
pub fn current_tid_for_fault() -> usize {
    SCHED.try_with(|s| s.threads.get(s.cur).map_or(0, |t| t.tid)).unwrap_or(0)
}

pub fn now() -> u64 {
    Cpu::now_ns()
}

/// Make the first thread and run it; does not return.
pub fn start(first: TrapFrame) -> ! {
    // Fault injection for the tests: a timer tick due while the kernel still runs its boot code,
    // before the first thread exists (`bk_test_boot_tick`) or while it is being entered
    // (`bk_test_boot_tick_late`): what a loaded host does to QEMU's wall-clock timer.
    #[cfg(bk_test_boot_tick)]
    Cpu::timer_force_pending();
    let (stack, frame) = with(|s| {
        let stack = s.main_stack;
        guard(stack);
        s.threads.push(Thread { tid: 1, state: State::Ready, frame: first, regs: Default::default(), prio: 0,
                                policy: 0, cpu_ns: 0, stack });
        s.ran_from = now();
        s.next_tid = 2;
        s.cur = 0;
        (stack, &s.threads[0].frame as *const TrapFrame)
    });
    #[cfg(bk_test_boot_tick_late)]
    Cpu::timer_force_pending();
    Cpu::set_stack_guard(guard_range(stack));
    // SAFETY: the frame is in the thread table on the kernel heap, which nothing changes before
    // `start_first` has copied it (it never returns).
    Cpu::start_first(unsafe { &*frame })
}

pub fn current_tid() -> usize {
    with(|s| s.threads[s.cur].tid)
}

pub fn spawn(frame: TrapFrame, stack: (usize, usize)) -> Result<usize, c_int> {
    with(|s| spawn_in(s, frame, stack))
}

fn spawn_in(s: &mut Sched, frame: TrapFrame, stack: (usize, usize)) -> Result<usize, c_int> {
    let tid = s.next_tid;
    // A new thread runs with its creator's policy and priority until told otherwise.
    let (prio, policy) = (s.threads[s.cur].prio, s.threads[s.cur].policy);
    let t = Thread { tid, state: State::Ready, frame, regs: Default::default(), prio, policy,
                     cpu_ns: 0, stack };
    match runq::free_slot(&s.threads, MAX_THREADS) {
        Some(slot) if slot < s.threads.len() => {
            s.dead_cpu_ns = s.dead_cpu_ns.saturating_add(s.threads[slot].cpu_ns);
            s.threads[slot] = t;
        }
        Some(_) => s.threads.push(t),
        None => return Err(EAGAIN),
    }
    s.next_tid += 1;
    guard(stack);
    Ok(tid)
}

/// `f` on the live thread `tid`; None when there is none.
pub fn with_thread<R>(tid: usize, f: impl FnOnce(&mut Thread) -> R) -> Option<R> {
    with(|s| s.threads.iter_mut().find(|t| t.tid == tid && t.state != State::Dead).map(f))
}

/// Whether thread `tid` is alive.
pub fn alive(tid: usize) -> bool {
    with_thread(tid, |_| ()).is_some()
}

/// Block the calling thread; it is switched away at the end of this trap.
pub fn block(state: State) {
    with(|s| block_in(s, state))
}

fn block_in(s: &mut Sched, state: State) {
    s.threads[s.cur].state = state;
    s.resched = true;
}

pub fn yield_now() {
    with(|s| {
        s.resched = true;
        s.yielded = true;
    })
}

/// A thread's priority or policy changed, or a thread became ready: let `pick` decide again at
/// the end of this trap, so a higher-priority thread runs at once.
pub fn reconsider() {
    with(|s| s.resched = true)
}

/// CPU time of thread `tid` (0: every thread of the application, exited ones included), with
/// the current thread's running time up to now.
pub fn cpu_time(tid: usize) -> Option<u64> {
    with(|s| cpu_time_in(s, tid))
}

fn cpu_time_in(s: &Sched, tid: usize) -> Option<u64> {
    let running = now().saturating_sub(s.ran_from);
    let mut total = if tid == 0 { s.dead_cpu_ns } else { 0 };
    let mut found = tid == 0;
    for (i, t) in s.threads.iter().enumerate() {
        if tid != 0 && (t.tid != tid || t.state == State::Dead) {
            continue;
        }
        found = true;
        total = total.saturating_add(t.cpu_ns);
        if i == s.cur {
            total = total.saturating_add(running);
        }
    }
    found.then_some(total)
}

/// The current thread ends; true when it was the last one (the caller ends the run).
pub fn exit_current() -> bool {
    with(|s| {
        let t = &s.threads[s.cur];
        if t.stack.1 != 0 && s.finished.len() < 256 {
            let mark = (t.tid, stack_used(t.stack), t.stack.1);
            s.finished.push(mark);
        }
        block_in(s, State::Dead);
        s.threads.iter().all(|t| t.state == State::Dead)
    })
}

/// The current thread's id and state (the signal code's view before the thread blocks).
pub fn current_state() -> (usize, State) {
    with(|s| (s.threads[s.cur].tid, s.threads[s.cur].state))
}

/// The current thread does not block after all (a signal interrupted its wait).
pub fn unblock_current() {
    with(|s| {
        let c = s.cur;
        s.threads[c].state = State::Ready;
    })
}

/// Wake up to `n` threads waiting on `addr`; returns how many woke.
pub fn wake(addr: usize, n: usize) -> usize {
    with(|s| wake_in(s, addr, n))
}

fn wake_in(s: &mut Sched, addr: usize, n: usize) -> usize {
    let (cur, cur_prio) = (s.cur, s.threads[s.cur].prio);
    let mut preempt = false;
    let woken = runq::wake_futex(&mut s.threads, addr, n, |t, i| {
        // The current frame is written by the trap path itself.
        if i != cur {
            t.frame.set_ret(0);
        }
        // a woken thread of higher priority than the waker runs at once
        preempt |= t.prio > cur_prio;
    });
    s.resched |= preempt;
    woken
}

/// Wake thread `tid` blocked in `State::Pipe` with the result of its call (the thread that did
/// the matching write or read is the current one, so the sleeper's saved frame is written here).
pub fn wake_tid(tid: usize, v: usize) {
    with(|s| {
        if let Some(i) = s.threads.iter().position(|t| t.tid == tid && t.state == State::Pipe) {
            s.threads[i].state = State::Ready;
            set_ret(s, i, v);
        }
    })
}

fn set_ret(s: &mut Sched, i: usize, v: usize) {
    if i == s.cur {
        // The current frame is written by the trap path itself.
        return;
    }
    s.threads[i].frame.set_ret(v);
}

/// Wake sleepers and futex waiters whose deadline passed.
fn expire(s: &mut Sched, now: u64) {
    runq::expire(&mut s.threads, now, |t, why| {
        t.frame.set_ret(match why {
            Expired::Slept => 0,
            Expired::TimedOut => crate::syscall_table::err(ETIMEDOUT),
        })
    });
}

/// The timer tick: account time, and preempt the running thread.
pub fn tick() {
    Cpu::timer_ack();
    // On Cortex-M the tick also interrupts the boot code (thread mode, before the first thread
    // runs: bk_trap_systick), which may be inside `start`'s `with`; no thread is preempted
    // then, so the flag is left alone rather than written under that borrow.
    SCHED.try_with(|s| s.resched = true);
}

/// Switch threads if the current one blocked, yielded or was preempted (end of every trap,
/// `trap::after_trap`).
pub fn schedule(frame: &mut TrapFrame) {
    with(|s| schedule_in(s, frame))
}

fn schedule_in(s: &mut Sched, frame: &mut TrapFrame) {
    if !s.resched {
        return;
    }
    s.resched = false;
    let yielded = core::mem::replace(&mut s.yielded, false);
    let cur = s.cur;
    s.threads[cur].frame = *frame;
    let t = now();
    s.threads[cur].cpu_ns = s.threads[cur].cpu_ns.saturating_add(t.saturating_sub(s.ran_from));
    loop {
        expire(s, now());
        if let Some(next) = runq::pick(&s.threads, cur, yielded) {
            // Idle time waiting for a deadline is nobody's CPU time.
            s.ran_from = now();
            if next != cur {
                s.switches += 1;
                Cpu::switch_save(&mut s.threads[cur].regs);
                Cpu::switch_restore(&s.threads[next].regs);
            }
            s.cur = next;
            if next != cur {
                Cpu::set_stack_guard(guard_range(s.threads[next].stack));
            }
            *frame = s.threads[next].frame;
            return;
        }
        idle(s);
    }
}

/// Nothing runnable: wait for the next deadline (or end a deadlocked run).
fn idle(s: &Sched) {
    if !runq::has_deadline(&s.threads) {
        crate::halt::kernel_fault(format_args!(
            "deadlock: every thread is blocked without a timeout"
        ));
    }
    Cpu::idle_wait();
    if Cpu::timer_pending() {
        Cpu::timer_ack();
    }
}

/// Self-check: thread table consistent.
pub fn check() -> Result<(), &'static str> {
    with(|s| check_in(s))
}

fn check_in(s: &Sched) -> Result<(), &'static str> {
    if s.cur >= s.threads.len() || s.threads.len() > MAX_THREADS {
        return Err("scheduler: current thread out of range");
    }
    let mut tids: Vec<usize> =
        s.threads.iter().filter(|t| t.state != State::Dead).map(|t| t.tid).collect();
    tids.sort_unstable();
    tids.dedup();
    if tids.len() != s.threads.iter().filter(|t| t.state != State::Dead).count() {
        return Err("scheduler: duplicate thread ids");
    }
    Ok(())
}
