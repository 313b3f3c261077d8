/* progress.c — see progress.h. */
#include "progress.h"

#include "wait.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void eb_progress_init(eb_progress *p, FILE *out, bool quiet, size_t total)
{
    memset(p, 0, sizeof *p);
    p->out = out;
    p->quiet = quiet;
    const char *term = getenv("TERM");
    p->live = !quiet && isatty(fileno(out)) && term != NULL && strcmp(term, "dumb") != 0;
    p->total = total;
    p->run_start_ns = eb_now_ns();
}

static void clear_live(eb_progress *p)
{
    if (p->live) fputs("\r\033[K", p->out);
}

void eb_progress_start(eb_progress *p, size_t index, const char *name)
{
    p->index = index;
    p->name = name;
    if (p->quiet) return;
    if (p->live) {
        clear_live(p);
        fprintf(p->out, "[%zu/%zu] %s ...", index + 1, p->total, name);
        fflush(p->out);
    }
}

void eb_progress_tick(void *arg, int64_t elapsed_ns)
{
    eb_progress *p = arg;
    if (p->quiet || !p->live) return;
    clear_live(p);
    fprintf(p->out, "[%zu/%zu] %s ... %.1f s", p->index + 1, p->total, p->name,
            (double)elapsed_ns / 1e9);
    fflush(p->out);
}

void eb_progress_done(eb_progress *p, bool ok, const char *outcome)
{
    if (p->quiet) return;
    clear_live(p);
    fprintf(p->out, "[%zu/%zu] %s: %s%s\n", p->index + 1, p->total, p->name,
            ok ? "" : "FAILED: ", outcome);
    fflush(p->out);
}

void eb_progress_line(eb_progress *p, const char *fmt, ...)
{
    if (p->quiet) return;
    clear_live(p);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(p->out, fmt, ap);
    va_end(ap);
    fputc('\n', p->out);
    fflush(p->out);
}
