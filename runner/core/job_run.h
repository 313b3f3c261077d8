/* job_run.h — what every executor does with a job (job.c): map its shared
 * arrays, run a task, claim the next one, start a worker (pinned), and time
 * the whole job into an eb_job_result. */
#ifndef EB_JOB_RUN_H
#define EB_JOB_RUN_H

#include "gil.h"
#include "job.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>

typedef struct eb_job_result {
    int64_t wall_ns;     /* whole job, executor start-up included, until the last
                            worker finished (mpi: the job between rank 0's
                            barriers, the launch kept out) */
    int64_t spawn_ns;    /* start-up alone: until every worker was ready (mpi:
                            until every rank was up, apart from wall_ns) */
    int64_t cpu_user_ns; /* this process and its reaped children */
    int64_t cpu_sys_ns;
    int64_t children_cpu_ns; /* the part of the above spent in child processes */
    int64_t ctx_switches_voluntary;
    int64_t ctx_switches_involuntary;
    int64_t max_rss_kib;  /* peak, children included */
    eb_gil_stats gil;     /* with job->gil: its counts over this job (threaded, hybrid) */
    uint64_t steals;      /* hybrid: ready coroutines idle threads took from others */
    int64_t run_delay_ns; /* the workers' threads' wait for a CPU while runnable
                             (/proc/thread-self/schedstat); -1 where not given */
    /* The coroutine executor's stacks (zero elsewhere), for the document:
     * the mode (0 separate, 1 copy: coro.h), each coroutine's stack
     * (separate) or the shared run stack (copy), the slots (separate) or
     * control blocks (copy) and the timer entries found resident, kept from
     * an earlier run of this process (0: a cold run), and in copy mode the
     * deepest frames saved, the bytes copied out and back in, and the save
     * buffers' peak. */
    struct {
        int stack_mode;
        uint64_t stack_bytes;
        uint64_t reused_slots;
        uint64_t reused_timers;
        uint64_t control_bytes;
        uint64_t max_frames_bytes;
        uint64_t copied_bytes;
        uint64_t peak_buffer_bytes;
        uint64_t arena_bytes;
    } coro;
    /* What the workload measured beside the job (workload.h: run_end);
     * all zero for workloads without run_end. */
    eb_workload_figures workload;
    int status;      /* 0, or a negative errno / EB_E* code */
    char error[768]; /* when status != 0: what happened, precisely (which
                        limit, when a limit refused a worker: oslimits.h) */
} eb_job_result;

int eb_job_alloc(eb_job *job);  /* maps the shared arrays, resets them */
void eb_job_reset(eb_job *job); /* before another run of the same job */
void eb_job_free(eb_job *job);
/* Runs task `task` as worker `worker`: stamps start/end, current_task, result.
 * Returns run_task's status. Every executor calls this, never run_task. */
int eb_job_run_task(eb_job *job, unsigned worker, uint64_t task);
/* Claims the next task index, or returns false when none is left. */
bool eb_job_claim(eb_job *job, uint64_t *task);
/* Pins the calling thread as `worker` (per job->pin) and records its PU,
 * process and ready time. Called by every worker before its first task. */
int eb_job_worker_start(eb_job *job, unsigned worker);
/* The calling worker's thread has left its thread-level lock (the GIL) and
 * takes no more tasks: closes its run delay, which its last claim leaves
 * open under such a lock or after eb_job_worker_close_after_clock. */
void eb_job_worker_done(void);
/* The calling worker will outlive the clock: its last claim leaves its run
 * delay open, for eb_job_worker_done to read after the clock has stopped. */
void eb_job_worker_close_after_clock(void);

/* What eb_job_begin notes so eb_job_end can fill the result. */
typedef struct eb_usage_mark {
    struct rusage self, children;
    eb_gil_stats gil; /* with job->gil: its counts so far */
} eb_usage_mark;

/* Starts the timed job: job->start_ns = now, resource usage noted. */
void eb_job_begin(eb_job *job, eb_usage_mark *mark);
/* eb_job_begin for a job whose own thread is its one worker (sequential,
 * coroutine): the thread exists before the clock, so it is pinned as worker
 * 0 before the clock starts, as it reads its run delay then; a worker made
 * on the clock pins itself on it (eb_job_worker_start). Returns the pin's
 * status; the clock has started either way. */
int eb_job_begin_as_worker(eb_job *job, eb_usage_mark *mark);
/* --spawn apart (job->spawn_apart): the executor starts its workers, which
 * pin themselves and run worker_init, before the job's clock starts.
 * eb_job_launch, before starting them: the base of their ready times, and
 * spawn_ns becomes the whole start-up, from it to the clock's start. Each worker, ready:
 * eb_job_gate_arrive (a forked one may say so on its own pipe instead), then eb_job_gate_wait,
 * which releases a GIL while it waits; own_copy: the worker runs on its own
 * copy of the job (a forked process), which then takes the clock's start.
 * The executor: eb_job_gate_await (until `workers` have arrived), then
 * eb_job_begin, then eb_job_gate_open. */
void eb_job_launch(eb_job *job);
void eb_job_gate_arrive(eb_job *job);
void eb_job_gate_wait(eb_job *job, bool own_copy);
void eb_job_gate_await(eb_job *job, unsigned workers);
void eb_job_gate_open(eb_job *job);
/* Stops the job's clock where the job's work ended, for an executor whose
 * teardown comes after it (multiprocess: its workers' exit and reaping);
 * eb_job_end then fills the rest, the reaped workers' CPU included. */
void eb_job_stop_clock(eb_job *job);
/* Ends it: fills wall_ns (to eb_job_stop_clock's stamp, else now), spawn_ns (the last worker's
 * ready time), CPU times, context switches, peak RSS and, with job->gil, the GIL's counts over the
 * job. Leaves status and error as they are. */
void eb_job_end(const eb_job *job, const eb_usage_mark *mark, eb_job_result *out);
/* Sets out->status and a printf-formatted out->error; returns status. */
int eb_job_fail(eb_job_result *out, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
