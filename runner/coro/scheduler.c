/* scheduler.c — the one-thread event loop (redis ae.c's model) and the
 * pieces every loop shares: timers in deadline order (sched_timers.c) and the
 * precise wait when every coroutine is parked (sleep_for_timers); a group's
 * members (M:N) run their own loop (sched_group.c) over the same pieces. See
 * scheduler.h. */
#include "sched_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/* ---- waits --------------------------------------------------------------- */

static int sleep_until(int64_t deadline_ns)
{
    struct timespec t = {(time_t)(deadline_ns / 1000000000), (long)(deadline_ns % 1000000000)};
    int rc;
    while ((rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL)) == EINTR) {
    }
    return -rc;
}

static inline void spin_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
}

/* Everyone parked on timers: the wait until the earliest (sched_internal.h:
 * WAKE_AHEAD_NS, SPIN_NS). */
static int sleep_for_timers(eb_sched *s, int64_t now, int64_t deadline_ns)
{
    if (deadline_ns - now <= 2 * WAKE_AHEAD_NS) return sleep_until(deadline_ns);
    int rc = sleep_until(deadline_ns - WAKE_AHEAD_NS);
    if (rc == 0) {
        s->stats.early_wakes++;
        eb_sched_warm_due(s, deadline_ns + WAKE_AHEAD_NS);
        rc = sleep_until(deadline_ns - SPIN_NS);
    }
    if (rc != 0) return rc;
    while (eb_now_ns() < deadline_ns)
        spin_pause();
    return 0;
}

int eb_sched_wait_until(eb_sched *s, int64_t deadline_ns)
{
    eb_coro *co = s->current;
    if (co == NULL) return sleep_until(deadline_ns); /* not in a coroutine: block */
    eb_sched_timer_push(s, (timer){deadline_ns, s->next_seq++, co});
    s->stats.parks++;
    eb_coro_suspend(co);
    return 0;
}

static int wait_op(void *ctx, int64_t deadline_ns)
{
    return eb_sched_wait_until(ctx, deadline_ns);
}

int eb_sched_wait_fd(eb_sched *s, int fd, unsigned events, int64_t deadline_ns)
{
    eb_coro *co = s->current;
    if (co == NULL) return eb_wait_fd_blocking(fd, events, deadline_ns);
    if (s->reactor == NULL) {
        eb_reactor_config rc = {.kind = s->config.reactor,
                                .capacity = (uint32_t)s->config.max_coros,
                                .flags = s->config.reactor_flags};
        if (s->fd_result == NULL)
            s->fd_result = malloc((size_t)s->config.max_coros * sizeof *s->fd_result);
        if (s->ready == NULL) s->ready = malloc(READY_BATCH * sizeof *s->ready);
        if (s->fd_result == NULL || s->ready == NULL) return -ENOMEM;
        int err = eb_reactor_create(&rc, &s->reactor);
        if (err != 0) return err;
    }
    int rc = eb_reactor_add(s->reactor, fd, events, deadline_ns, co);
    if (rc != 0) return rc > 0 ? 0 : rc; /* finished without waiting */
    s->stats.fd_parks++;
    eb_coro_suspend(co);
    /* in a group it may resume on another thread: the result travels with it */
    return *eb_sched_fd_result(s, co);
}

static int wait_fd_op(void *ctx, int fd, unsigned events, int64_t deadline_ns)
{
    return eb_sched_wait_fd(ctx, fd, events, deadline_ns);
}

/* ---- coroutines ------------------------------------------------------------ */

void eb_sched_give_stack(eb_sched *s, eb_coro *co)
{
    s->alive--;
    if (eb_coro_stacks_give(&s->stacks, co) != 0) {
        /* The neighbouring slot may be corrupt: continuing could report
         * wrong results, so stop here, loudly. */
        fprintf(stderr,
                "%s: a coroutine overflowed its %zu-byte stack (unguarded pool of %u "
                "stacks); memory around it may be corrupt, stopping\n",
                program_invocation_short_name, s->stacks.pool.stack_bytes, s->stacks.pool.slots);
        abort();
    }
}

static void finished(eb_sched *s, eb_coro *co)
{
    if (s->group != NULL)
        eb_sched_group_finished(s, co);
    else
        eb_sched_give_stack(s, co);
}

void eb_sched_resume(eb_sched *s, eb_coro *co)
{
    s->current = co;
    int rc = eb_coro_resume(co);
    if (rc != 0) {
        /* COPY mode: no memory to save a parked coroutine's frames. It cannot
         * be resumed without them, nor can anyone else: stop, loudly. */
        fprintf(stderr,
                "%s: could not save a parked coroutine's frames (%s) with %llu alive; "
                "run fewer coroutines at once (--workers), stopping\n",
                program_invocation_short_name, strerror(-rc), (unsigned long long)s->alive);
        abort();
    }
    s->current = NULL;
    if (eb_coro_finished(co)) finished(s, co);
}

/* Resumes the coroutines whose fd wait finished, waiting for the first until
 * until_ns at most. 0 or -errno. */
static int run_ready_fds(eb_sched *s, int64_t until_ns)
{
    int n = eb_reactor_poll(s->reactor, until_ns, s->ready, READY_BATCH);
    for (int i = 0; i < n; i++) {
        eb_coro *co = s->ready[i].token;
        s->fd_result[co->slot] = s->ready[i].result;
        eb_sched_resume(s, co);
    }
    return n < 0 ? n : 0;
}

int eb_sched_start(eb_sched *s, eb_coro_fn fn, void *ctx, uint64_t arg)
{
    eb_coro *co;
    int rc = eb_coro_stacks_new(&s->stacks, s->config.backend, fn, ctx, arg, &co);
    if (rc != 0) return rc;
    if (eb_sched_coros_move(s)) eb_sched_meta(co)->home = s;
    s->alive++;
    s->stats.started++;
    if (s->alive > s->stats.max_alive) s->stats.max_alive = s->alive;
    eb_sched_resume(s, co); /* it runs until it first parks (or finishes) */
    return 0;
}

/* ---- the loop -------------------------------------------------------------- */

/* Fills `set` with the signals to block while coroutines run. */
void eb_sched_signals_to_block(sigset_t *set)
{
    sigemptyset(set);
    stack_t alt;
    long min_alt = sysconf(_SC_MINSIGSTKSZ);
    bool alt_ok = sigaltstack(NULL, &alt) == 0 && !(alt.ss_flags & SS_DISABLE) &&
                  alt.ss_size >= (size_t)(min_alt > 0 ? min_alt : MINSIGSTKSZ);
    for (int sig = 1; sig < SIGRTMIN; sig++) {
        if (sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL || sig == SIGTRAP ||
            sig == SIGSYS || sig == SIGABRT)
            continue;
        struct sigaction sa;
        if (sigaction(sig, NULL, &sa) != 0) continue;
        bool handled = (sa.sa_flags & SA_SIGINFO)
                           ? sa.sa_sigaction != NULL
                           : sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN;
        if (handled && !(alt_ok && (sa.sa_flags & SA_ONSTACK))) sigaddset(set, sig);
    }
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
        sigaddset(set, sig);
}

/* The one-thread loop (EB_SCHED_LOOP: see sched_internal.h). */
EB_SCHED_LOOP static int run_alone(eb_sched *s, eb_coro_fn fn, void *ctx, eb_sched_next_fn next,
                                   const sigset_t *blocked, const sigset_t *caller_mask)
{
    int64_t window_ns = eb_now_ns();
    uint64_t max = s->config.max_coros;
    bool more = true;
    int status = 0;
    while (more || s->alive > 0) {
        /* 1. Start coroutines while slots are free, a batch at a time. */
        for (unsigned n = 0; more && s->alive < max && n < START_BATCH; n++) {
            uint64_t arg;
            if (!next(ctx, &arg)) {
                more = false;
            } else if ((status = eb_sched_start(s, fn, ctx, arg)) != 0) {
                more = false;
            }
        }
        bool can_start = more && s->alive < max;
        int64_t now = eb_now_ns();
        if (s->stats.first_wave_ns == 0 && !can_start) s->stats.first_wave_ns = now;

        bool fds = s->reactor != NULL && eb_reactor_waiting(s->reactor) > 0;
        const timer *first = eb_sched_timer_first(s);
        if (first == NULL && !fds) {
            /* Alive but not parked on a timer or an fd: suspended behind our back. */
            if (!can_start && s->alive > 0) {
                status = -EDEADLK;
                break;
            }
        } else if ((first == NULL || first->deadline_ns > now) && !can_start) {
            /* 2. Everyone parked and nothing due: one precise wait, for the
             * earliest timer or, with fds waited on, whichever comes first. */
            int64_t until = first != NULL ? first->deadline_ns : EB_WAIT_FOREVER;
            pthread_sigmask(SIG_SETMASK, caller_mask, NULL);
            const eb_check_hook *released = eb_check_release(); /* a GIL is free meanwhile */
            int rc = fds ? run_ready_fds(s, until) : sleep_for_timers(s, now, until);
            eb_check_reacquire(released);
            pthread_sigmask(SIG_BLOCK, blocked, NULL);
            if (fds && rc != 0) {
                status = rc;
                break;
            }
            s->stats.sleeps++;
            now = window_ns = eb_now_ns();
        } else if (fds && (status = run_ready_fds(s, INT64_MIN)) != 0) {
            break; /* others are runnable: that was only a look at the fds */
        }

        /* 3. Resume every coroutine whose deadline has passed, earliest first;
         * one that parks again in this round waits for the next round. */
        uint64_t round = s->next_seq;
        size_t due;
        while ((due = eb_sched_pop_due(s, now, round)) > 0)
            for (size_t i = 0; i < due; i++)
                eb_sched_resume(s, s->due[i]);

        if (now - window_ns >= SIGNAL_WINDOW_NS) {
            pthread_sigmask(SIG_SETMASK, caller_mask, NULL); /* pending ones run here */
            pthread_sigmask(SIG_BLOCK, blocked, NULL);
            window_ns = now;
        }
    }
    return status;
}

int eb_sched_run(eb_sched *s, eb_coro_fn fn, void *ctx, eb_sched_next_fn next)
{
    if (s->running) return -EBUSY;
    s->running = true;
    const eb_wait_ops *previous_ops = eb_wait_set_ops(&s->wait_ops);
    int previous_slack = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0); /* wake at the deadline, not 50 us later */
    sigset_t blocked, caller_mask;
    eb_sched_signals_to_block(&blocked);
    pthread_sigmask(SIG_BLOCK, &blocked, &caller_mask);
    s->stats.first_wave_ns = 0; /* of this run */

    int status = s->group != NULL ? eb_sched_group_loop(s, fn, ctx, next, &blocked, &caller_mask)
                                  : run_alone(s, fn, ctx, next, &blocked, &caller_mask);

    pthread_sigmask(SIG_SETMASK, &caller_mask, NULL);
    if (previous_slack > 0) prctl(PR_SET_TIMERSLACK, (unsigned long)previous_slack, 0, 0, 0);
    eb_wait_set_ops(previous_ops);
    s->running = false;
    return status;
}

/* ---- life cycle ------------------------------------------------------------ */

#ifdef EB_SANITIZE_BUILD
#define GUARDED_STACK_BYTES ((size_t)256 << 10)
#define PACKED_STACK_BYTES ((size_t)64 << 10)
#else
#define GUARDED_STACK_BYTES ((size_t)64 << 10)
#define PACKED_STACK_BYTES ((size_t)4 << 10)
#endif

eb_sched_config eb_sched_default_config(eb_coro_backend backend, uint64_t max_coros)
{
    bool guarded = eb_stack_pool_guards_fit(max_coros);
    return (eb_sched_config){
        .backend = backend,
        .max_coros = max_coros,
        .stack_bytes = guarded ? GUARDED_STACK_BYTES : PACKED_STACK_BYTES,
        .guard = guarded ? EB_STACK_GUARD_ON : EB_STACK_GUARD_OFF,
    };
}

int eb_sched_create(const eb_sched_config *config, eb_sched **out)
{
    return eb_sched_create_with(config, 0, out);
}

int eb_sched_create_with(const eb_sched_config *config, size_t record_bytes, eb_sched **out)
{
    *out = NULL;
    if (config->max_coros == 0 || config->max_coros > UINT32_MAX) return -EINVAL;
    if (config->backend != EB_CORO_FCONTEXT && config->backend != EB_CORO_UCONTEXT) return -EINVAL;
    eb_sched *s = calloc(1, sizeof *s);
    if (s == NULL) return -ENOMEM;
    s->config = *config;
    s->wake_fd = -1;
    int rc = eb_sched_timers_take(s, config->max_coros);
    eb_coro_stacks_config where = {
        .mode = config->stack_mode,
        .max_coros = config->max_coros,
        .stack_bytes = config->stack_bytes,
        .guard = config->guard,
        .run_stack_bytes =
            config->run_stack_bytes > 0 ? config->run_stack_bytes : EB_SCHED_RUN_STACK_BYTES,
        .record_bytes = record_bytes,
    };
    if (rc == 0) rc = eb_coro_stacks_init(&s->stacks, &where);
    if (rc != 0) {
        eb_timer_store_give(&s->timers);
        free(s);
        return rc;
    }
    s->wait_ops = (eb_wait_ops){.wait_until_ns = wait_op, .ctx = s, .wait_fd = wait_fd_op};
    *out = s;
    return 0;
}

void eb_sched_destroy(eb_sched *s)
{
    if (s == NULL || s->group != NULL) return; /* a member goes with its group */
    eb_reactor_destroy(s->reactor);
    free(s->fd_result);
    free(s->ready);
    eb_coro_stacks_destroy(&s->stacks);
    eb_timer_store_give(&s->timers);
    free(s);
}

eb_coro *eb_sched_current(const eb_sched *s)
{
    return s->current;
}

void eb_sched_get_stats(const eb_sched *s, eb_sched_stats *out)
{
    *out = s->stats;
}

const eb_stack_pool *eb_sched_pool(const eb_sched *s)
{
    return &s->stacks.pool;
}

const eb_coro_stacks *eb_sched_stacks(const eb_sched *s)
{
    return &s->stacks;
}
