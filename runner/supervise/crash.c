/* crash.c — see crash.h. The formatting is by hand because printf is not
 * async-signal-safe. */
#include "crash.h"

#include "decimal.h"

#include "current_task.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int report_fd = -1, progress_fd = -1;
static const eb_job *volatile watched;
static volatile int watched_repetitions;
static volatile sig_atomic_t phase = -1;

typedef struct line {
    char text[1000]; /* a limit's explanation (oslimits.h) is long */
    size_t len;
} line;

static void put(line *l, const char *s)
{
    while (*s != '\0' && l->len < sizeof l->text - 2)
        l->text[l->len++] = *s++;
}

static void put_u64(line *l, uint64_t v)
{
    if (l->len + EB_DECIMAL_MAX < sizeof l->text - 2)
        l->len = (size_t)(eb_put_decimal(l->text + l->len, v) - l->text);
}

static void emit(line *l)
{
    l->text[l->len++] = '\n';
    if (report_fd >= 0) {
        ssize_t rc = write(report_fd, l->text, l->len);
        (void)rc;
    }
}

void eb_crash_report_line(const char *text)
{
    line l = {.len = 0};
    put(&l, text);
    emit(&l);
}

static void on_fatal(int sig, siginfo_t *info, void *ucontext)
{
    (void)info;
    (void)ucontext;
    int saved = errno;
    eb_current_task now = eb_current_task_get();
    const char *abbrev = sigabbrev_np(sig);
    line l = {.len = 0};
    if (now.task >= 0) {
        put(&l, "worker ");
        put_u64(&l, now.worker);
        put(&l, " killed by signal ");
    } else {
        put(&l, "point process killed by signal ");
    }
    put_u64(&l, (uint64_t)sig);
    put(&l, " (SIG");
    put(&l, abbrev != NULL ? abbrev : "?");
    put(&l, ")");
    if (now.task >= 0) {
        put(&l, " in task ");
        put_u64(&l, (uint64_t)now.task);
    } else {
        put(&l, " outside any task");
    }
    emit(&l);
    errno = saved;
    /* SA_RESETHAND restored the default action: re-raise so the parent sees
     * the signal itself as the cause of death. */
    raise(sig);
}

static void on_describe(int sig)
{
    (void)sig;
    int saved = errno;
    const eb_job *job = watched;
    line l = {.len = 0};
    if (job == NULL || job->task_end_ns == NULL) {
        put(&l, "before the job started");
        emit(&l);
        errno = saved;
        return;
    }
    uint64_t done = 0, shown = 0, running = 0;
    for (uint64_t t = 0; t < job->tasks; t++) {
        if (job->task_end_ns[t] >= 0) {
            done++;
        } else if (job->task_start_ns[t] >= 0) {
            if (shown < 4) {
                put(&l, running == 0 ? "task " : ", ");
                put_u64(&l, t);
                shown++;
            }
            running++;
        }
    }
    if (running > shown) put(&l, ", ...");
    if (running > 0) put(&l, " never finished; ");
    put_u64(&l, done);
    put(&l, " of ");
    put_u64(&l, job->tasks);
    put(&l, job->tasks == 1 ? " task done in " : " tasks done in ");
    if (phase < 0) {
        put(&l, "the warm-up");
    } else {
        put(&l, "repetition ");
        put_u64(&l, (uint64_t)phase + 1);
        put(&l, " of ");
        put_u64(&l, (uint64_t)watched_repetitions);
    }
    emit(&l);
    errno = saved;
}

void eb_crash_watch(const eb_job *job, int repetitions)
{
    watched_repetitions = repetitions;
    watched = job;
}

void eb_crash_phase(int now)
{
    phase = now;
}

void eb_crash_tell(const char *what)
{
    if (progress_fd < 0) return;
    char text[128];
    int n = snprintf(text, sizeof text, "%s\n", what);
    if (n <= 0 || (size_t)n >= sizeof text) return;
    ssize_t rc = write(progress_fd, text, (size_t)n);
    (void)rc;
}

int eb_crash_install(int fd)
{
    /* The progress pipe, when fd 4 is one (a point run by hand may have
     * anything there); non-blocking, so a parent slow to read never slows
     * the point. */
    struct stat st;
    if (fstat(EB_PROGRESS_FD, &st) == 0 && S_ISFIFO(st.st_mode) &&
        fcntl(EB_PROGRESS_FD, F_SETFL, fcntl(EB_PROGRESS_FD, F_GETFL) | O_NONBLOCK) == 0)
        progress_fd = EB_PROGRESS_FD;
    if (fcntl(fd, F_GETFD) < 0) return 0; /* no report pipe (run by hand): nothing to tell */
    report_fd = fd;
    /* An alternate stack, so even a stack overflow on this thread is reported. */
    static char altstack[64 * 1024];
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
    if (sigaltstack(&ss, NULL) != 0) return -errno;
    struct sigaction fatal;
    memset(&fatal, 0, sizeof fatal);
    fatal.sa_sigaction = on_fatal;
    fatal.sa_flags = (int)(SA_SIGINFO | SA_ONSTACK | SA_RESETHAND);
    sigemptyset(&fatal.sa_mask);
    static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
    for (size_t i = 0; i < sizeof fatal_signals / sizeof *fatal_signals; i++)
        if (sigaction(fatal_signals[i], &fatal, NULL) != 0) return -errno;
    struct sigaction describe;
    memset(&describe, 0, sizeof describe);
    describe.sa_handler = on_describe;
    describe.sa_flags = SA_RESTART | SA_ONSTACK; /* never on a small coroutine stack */
    sigemptyset(&describe.sa_mask);
    if (sigaction(EB_DESCRIBE_SIGNAL, &describe, NULL) != 0) return -errno;
    return 0;
}
