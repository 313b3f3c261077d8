/* progress.c — see progress.h. */
#include "progress.h"

#include "wait.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
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
    struct winsize ws;
    p->width =
        p->live && ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : 80;
}

/* The live line, cut to the terminal's width so \r can redraw it. */
static void live_line(eb_progress *p, const char *suffix)
{
    char line[512];
    snprintf(line, sizeof line, "[%zu/%zu] %s ...%s", p->index + 1, p->total, p->name, suffix);
    size_t max = p->width > 1 ? (size_t)p->width - 1 : 1;
    if (strlen(line) > max) {
        /* keep the end (the elapsed time) and mark the cut */
        size_t keep = strlen(suffix) + 4;
        if (keep + 8 < max) {
            memmove(line + max - keep, line + strlen(line) - keep, keep + 1);
            memcpy(line + max - keep - 3, "...", 3);
        } else {
            line[max] = '\0';
        }
    }
    fputs("\r\033[K", p->out);
    fputs(line, p->out);
    fflush(p->out);
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
    if (p->live) live_line(p, "");
}

void eb_progress_tick(void *arg, int64_t elapsed_ns)
{
    eb_progress *p = arg;
    if (p->quiet || !p->live) return;
    char suffix[32];
    snprintf(suffix, sizeof suffix, " %.1f s", (double)elapsed_ns / 1e9);
    live_line(p, suffix);
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
