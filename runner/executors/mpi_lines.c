/* mpi_lines.c — see mpi_lines.h. Not an executor: the mpi executor's reader
 * (its own file so that mpi.c stays the launch alone). */
#include "mpi_lines.h"

#include "mpi_config.h"
#include "wait.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ERR_TAIL 16384

struct eb_mpi_reader {
    eb_job *job;
    char line[1024]; /* stdout, up to the next newline */
    size_t line_len;
    char err[ERR_TAIL]; /* the end of mpirun's stderr */
    size_t err_len;
    int64_t ready_ns, wall_ns; /* -1 until said */
    bool ended;
    int *pids; /* [worker_slots]: each rank's pid, 0 unknown */
    int error_status;
    char error[640];
};

eb_mpi_reader *eb_mpi_reader_new(eb_job *job)
{
    eb_mpi_reader *rd = calloc(1, sizeof *rd);
    if (rd == NULL) return NULL;
    rd->job = job;
    rd->pids = calloc(job->worker_slots, sizeof *rd->pids);
    if (rd->pids == NULL) {
        free(rd);
        return NULL;
    }
    rd->ready_ns = rd->wall_ns = -1;
    return rd;
}

void eb_mpi_reader_free(eb_mpi_reader *rd)
{
    if (rd != NULL) free(rd->pids);
    free(rd);
}

static void on_line(eb_mpi_reader *rd, const char *l)
{
    eb_job *job = rd->job;
    size_t tag = strlen(EB_MPI_LINE " ");
    if (strncmp(l, EB_MPI_LINE " ", tag) != 0) return; /* a workload's or Open MPI's words */
    l += tag;
    uint64_t t, result;
    int64_t a, b, c;
    int r, pu, pid, n = 0;
    char host[64];
    if (sscanf(l, "who %d %63s %d", &r, host, &pid) == 3) {
        if (r >= 0 && (unsigned)r < job->worker_slots) rd->pids[r] = pid;
    } else if (strcmp(l, "ready") == 0) {
        rd->ready_ns = eb_now_ns() - job->start_ns;
    } else if (sscanf(l, "job %" SCNd64, &a) == 1) {
        rd->wall_ns = a;
    } else if (sscanf(l, "rank %d %63s %d %d %" SCNd64, &r, host, &pu, &pid, &a) == 5) {
        if (job->worker_host == NULL)
            job->worker_host = calloc(job->worker_slots, sizeof *job->worker_host);
        if (r >= 0 && (unsigned)r < job->worker_slots) {
            if (job->worker_host != NULL)
                snprintf(job->worker_host[r], sizeof job->worker_host[r], "%s", host);
            job->worker[r].pu = pu;
            job->worker[r].pid = pid;
            job->worker[r].tasks_done = a;
            job->worker[r].ready_ns = rd->ready_ns;
        }
    } else if (sscanf(l, "task %" SCNu64 " %" SCNu64 " %" SCNd64 " %" SCNd64, &t, &result, &b,
                      &c) == 4) {
        if (t < job->tasks) {
            job->task_result[t] = result;
            job->task_start_ns[t] = b;
            job->task_end_ns[t] = c;
        }
    } else if (sscanf(l, "stuck %d %" SCNu64, &r, &t) == 2 && t < job->tasks) {
        job->task_start_ns[t] = 0; /* started, never ended: what crash.c names */
    } else if (sscanf(l, "ended %d %" SCNu64, &r, &t) == 2 && t < job->tasks) {
        job->task_start_ns[t] = job->task_end_ns[t] = 0; /* counted as done */
    } else if (sscanf(l, "error %d %n", &r, &n) == 1 && n > 0) {
        rd->error_status = r;
        snprintf(rd->error, sizeof rd->error, "%s", l + n);
    } else if (strcmp(l, "end") == 0) {
        rd->ended = true;
    }
}

static void take_err(eb_mpi_reader *rd, const char *chunk, size_t got)
{
    if (got >= ERR_TAIL - 1) {
        chunk += got - (ERR_TAIL - 1);
        got = ERR_TAIL - 1;
    }
    if (rd->err_len + got > ERR_TAIL - 1) {
        size_t drop = rd->err_len + got - (ERR_TAIL - 1);
        memmove(rd->err, rd->err + drop, rd->err_len - drop);
        rd->err_len -= drop;
    }
    memcpy(rd->err + rd->err_len, chunk, got);
    rd->err_len += got;
    rd->err[rd->err_len] = '\0';
}

int eb_mpi_reader_feed(eb_mpi_reader *rd, int which, int fd)
{
    char chunk[16384];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return 1;
        if (n <= 0) return 0;
        if (which == 1) {
            take_err(rd, chunk, (size_t)n);
            continue;
        }
        for (ssize_t i = 0; i < n; i++) {
            if (chunk[i] != '\n') {
                if (rd->line_len < sizeof rd->line - 1) rd->line[rd->line_len++] = chunk[i];
                continue;
            }
            rd->line[rd->line_len] = '\0';
            on_line(rd, rd->line);
            rd->line_len = 0;
        }
    }
}

/* mpirun's reason, from its stderr: the first lines of its message, without
 * its banners of dashes, joined into one. */
static void mpirun_reason(const char *err, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    int lines = 0;
    for (const char *p = err; *p != '\0' && lines < 2;) {
        size_t n = strcspn(p, "\n");
        const char *s = p;
        size_t m = n;
        while (m > 0 && (*s == ' ' || *s == '\t')) {
            s++;
            m--;
        }
        while (m > 0 && (s[m - 1] == ' ' || s[m - 1] == '\r'))
            m--;
        bool banner = m > 0 && strspn(s, "-*=") >= m;
        if (m > 0 && !banner && used + 2 < len) {
            used += (size_t)snprintf(buf + used, len - used, "%s%.*s", used ? "; " : "", (int)m, s);
            if (used >= len) used = len - 1;
            lines++;
        }
        p += n + (p[n] == '\n');
    }
}

void eb_mpi_reader_finish(eb_mpi_reader *rd, int status, eb_job_result *out)
{
    if (rd->line_len > 0) { /* a last line without its newline */
        rd->line[rd->line_len] = '\0';
        on_line(rd, rd->line);
    }
    if (rd->ended && rd->error_status != 0) {
        eb_job_fail(out, rd->error_status, "%s", rd->error);
        return;
    }
    if (rd->ended && rd->wall_ns >= 0) {
        out->wall_ns = rd->wall_ns;
        out->spawn_ns = rd->ready_ns >= 0 ? rd->ready_ns : 0;
        return;
    }
    int r, pid, sig;
    char host[128];
    const char *noticed = strstr(rd->err, "process rank ");
    if (noticed != NULL &&
        sscanf(noticed, "process rank %d with PID %d on node %127s exited on signal %d", &r, &pid,
               host, &sig) == 4) {
        const char *abbrev = sigabbrev_np(sig);
        /* Open MPI 4 says "PID 0": the pid rank 0 gave, when it did. */
        if (pid == 0 && r >= 0 && (unsigned)r < rd->job->worker_slots) pid = rd->pids[r];
        eb_job_fail(out, -EINTR, "mpi rank %d (pid %d on %s) killed by signal %d (SIG%s)%s", r, pid,
                    host, sig, abbrev != NULL ? abbrev : "?",
                    rd->ready_ns >= 0 ? " during the job" : " before every rank was up");
        return;
    }
    char reason[512];
    mpirun_reason(rd->err, reason, sizeof reason);
    if (WIFSIGNALED(status)) {
        const char *abbrev = sigabbrev_np(WTERMSIG(status));
        eb_job_fail(out, -EINTR, "mpirun killed by signal %d (SIG%s)%s%s", WTERMSIG(status),
                    abbrev != NULL ? abbrev : "?", reason[0] ? ": " : "", reason);
    } else if (rd->ready_ns < 0) {
        eb_job_fail(out, -ECHILD, "mpirun could not start the ranks (exit status %d)%s%s",
                    WIFEXITED(status) ? WEXITSTATUS(status) : -1, reason[0] ? ": " : "", reason);
    } else {
        eb_job_fail(out, -ECHILD, "mpirun ended (exit status %d) before rank 0 reported%s%s",
                    WIFEXITED(status) ? WEXITSTATUS(status) : -1, reason[0] ? ": " : "", reason);
    }
}
