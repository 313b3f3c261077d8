/* crash.h — what a point process says when it dies or is timed out.
 *
 * The parent gives each point process a report pipe (fd 3). A fatal signal
 * (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) writes "worker W killed by signal
 * N (SIGNAME) in task T" there — W and T from current_task.h — before the
 * process dies of it; SIGUSR1, which the parent sends when the point runs past
 * --timeout, writes which tasks never finished and how many did. Both handlers
 * only read memory and call write(2): async-signal-safe. A second pipe
 * (fd 4) carries what the point is doing, for the parent's progress. */
#ifndef EB_CRASH_H
#define EB_CRASH_H

#include "job.h"

#define EB_REPORT_FD 3
#define EB_PROGRESS_FD 4
#define EB_DESCRIBE_SIGNAL SIGUSR1

/* Installs the handlers (with an alternate stack for this thread) when
 * `report_fd` is open; 0 or -errno. */
int eb_crash_install(int report_fd);

/* The job the SIGUSR1 description reads (NULL: none yet). */
void eb_crash_watch(const eb_job *job, int repetitions);
/* Which run is going on: -1 the warm-up, k >= 0 repetition k. */
void eb_crash_phase(int phase);

/* Writes a line to the report pipe, if there is one (for setup failures). */
void eb_crash_report_line(const char *line);

/* Tells the parent what the point is doing ("warm-up 1/1", "rep 3/10"): a
 * line on the progress pipe (fd 4) when there is one, for its progress
 * line. Never blocks: a line the pipe has no room for is dropped. */
void eb_crash_tell(const char *what);

#endif
