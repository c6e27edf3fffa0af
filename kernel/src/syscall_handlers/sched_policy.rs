//! Scheduling policies (proposed SetSchedPolicy, GetSchedPolicy): each thread's policy and
//! priority, which `sched::pick` honours.

/// Linux's SCHED_OTHER, SCHED_FIFO, SCHED_RR.
fn valid_policy(p: i32) -> bool {
    matches!(p, 0..=2)
}

pub mod set_sched_policy {
    use crate::syscall_table::*;
    handler!(set_sched_policy(tid: usize, policy: c_int, prio: c_int) -> c_int {
        if !super::valid_policy(policy) || !(0..=255).contains(&prio) {
            return Err(EINVAL);
        }
        crate::sched::with_thread(tid, |t| {
            t.policy = policy;
            t.prio = prio;
        }).ok_or(ESRCH)?;
        // a lowered current thread or a raised ready one: choose again now
        crate::sched::reconsider();
        Ok(0)
    });
}

pub mod get_sched_policy {
    use crate::syscall_table::*;
    handler!(get_sched_policy(tid: usize) -> c_int {
        crate::sched::with_thread(tid, |t| t.policy as usize).ok_or(ESRCH)
    });
}
