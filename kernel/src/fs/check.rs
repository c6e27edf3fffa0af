//! The file system's self-check (run at exit; the fuzz app relies on it): the core's
//! (`kcore::fs::Fs::check`: entries, link and open counts, byte accounting, chunks, pipe ends),
//! then what only the kernel knows: every thread queued on a pipe is asleep in it.

/// Self-check of the whole file system and its pipes' waiters.
pub fn check() -> Result<(), &'static str> {
    super::with(|f| {
        f.check()?;
        let asleep = |tid: usize| {
            crate::sched::with_thread(tid, |t| t.state == crate::sched::State::Pipe) == Some(true)
        };
        for pipe in f.pipes.iter().flatten() {
            if !pipe.rq.iter().chain(pipe.wq.iter()).all(|w| asleep(w.tid)) {
                return Err("fs: pipe waiter that is not asleep");
            }
        }
        Ok(())
    })
}
