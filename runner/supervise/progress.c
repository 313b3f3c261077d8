/* progress.c — see progress.h. */
#include "progress.h"

#include "wait.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* A name shortened below this says too little: the times go first (at 80
 * columns only with 10,000 points, 1,000 repetitions and an hour's run). */
#define MIN_NAME 12
#define LINE_MAX_BYTES 2048

int eb_progress_width(int fd)
{
    struct winsize ws;
    if (fd >= 0 && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    const char *columns = getenv("COLUMNS");
    long n = columns != NULL ? strtol(columns, NULL, 10) : 0;
    return n > 0 && n < 10000 ? (int)n : 80;
}

void eb_progress_duration(double ns, char *buf, size_t len)
{
    double s = ns > 0 ? ns / 1e9 : 0;
    long whole = (long)s;
    if (s < 9.95)
        snprintf(buf, len, "%.1fs", s);
    else if (whole < 60)
        snprintf(buf, len, "%lds", whole);
    else if (whole < 3600)
        snprintf(buf, len, "%ldm%02lds", whole / 60, whole % 60);
    else
        snprintf(buf, len, "%ldh%02ldm", whole / 3600, whole / 60 % 60);
}

/* `name` in at most `max` bytes: its start and its end around "...". */
static void shorten(const char *name, size_t max, char *buf, size_t len)
{
    size_t n = strlen(name);
    if (n <= max || max < 5) {
        snprintf(buf, len, "%.*s", (int)(n <= max ? n : max), name);
        return;
    }
    size_t keep = max - 3, head = keep / 2, tail = keep - head;
    snprintf(buf, len, "%.*s...%s", (int)head, name, name + n - tail);
}

void eb_progress_compose(char *buf, size_t len, int width, const char *position, const char *name,
                         const char *state, const char *times)
{
    size_t fixed = strlen(position) + 1 + 2 + strlen(state);
    size_t with_times = fixed + (times[0] != '\0' ? 1 + strlen(times) : 0);
    size_t max = width > 1 ? (size_t)width - 1 : 0; /* the last column would wrap on some */
    size_t name_len = strlen(name);
    char shown[LINE_MAX_BYTES];
    if (width <= 0 || with_times + name_len <= max) {
        snprintf(buf, len, "%s %s: %s%s%s", position, name, state, times[0] ? " " : "", times);
        return;
    }
    size_t floor = name_len < MIN_NAME ? name_len : MIN_NAME;
    if (with_times + floor <= max) {
        shorten(name, max - with_times, shown, sizeof shown);
        snprintf(buf, len, "%s %s: %s %s", position, shown, state, times);
    } else if (fixed + floor <= max) {
        shorten(name, max - fixed, shown, sizeof shown);
        snprintf(buf, len, "%s %s: %s", position, shown, state);
    } else { /* what is left of the name, else cut at the edge */
        shorten(name, max > fixed ? max - fixed : 0, shown, sizeof shown);
        snprintf(buf, len, "%s %s: %s", position, shown, state);
        if (max < len) buf[max] = '\0';
    }
}

void eb_progress_init(eb_progress *p, FILE *out, bool quiet, size_t total, eb_estimate *estimate)
{
    memset(p, 0, sizeof *p);
    p->out = out;
    p->quiet = quiet;
    p->tty_fd = isatty(fileno(out)) ? fileno(out) : -1;
    const char *term = getenv("TERM");
    p->live = !quiet && p->tty_fd >= 0 && term != NULL && strcmp(term, "dumb") != 0;
    p->total = total;
    p->estimate = estimate;
    p->run_start_ns = eb_now_ns();
}

static int width_of(const eb_progress *p)
{
    return p->tty_fd >= 0 ? eb_progress_width(p->tty_fd) : 0;
}

/* "(12s, ~1m05s left)": the run's time so far and, when known, what is left
 * with point `from` `into_ns` under way. */
static void times_text(const eb_progress *p, size_t from, int64_t into_ns, char *buf, size_t len)
{
    char so_far[16], left[16];
    eb_progress_duration((double)(eb_now_ns() - p->run_start_ns), so_far, sizeof so_far);
    double left_ns = p->estimate != NULL && from < p->total
                         ? eb_estimate_left_ns(p->estimate, from, into_ns)
                         : 0;
    if (left_ns >= 0.05e9) {
        eb_progress_duration(left_ns, left, sizeof left);
        snprintf(buf, len, "(%s, ~%s left)", so_far, left);
    } else {
        snprintf(buf, len, "(%s)", so_far);
    }
}

static void position_text(const eb_progress *p, char *buf, size_t len)
{
    if (p->position != NULL)
        snprintf(buf, len, "%s", p->position);
    else if (p->index < p->total)
        snprintf(buf, len, "[%zu/%zu]", p->index + 1, p->total);
    else
        snprintf(buf, len, "[micro]");
}

/* The live line or a "still running" line, for the point `elapsed_ns` in. */
static void running_line(eb_progress *p, int64_t elapsed_ns, const char *said, bool heartbeat)
{
    char position[48], took[16], state[128], times[64], line[LINE_MAX_BYTES];
    position_text(p, position, sizeof position);
    eb_progress_duration((double)elapsed_ns, took, sizeof took);
    if (heartbeat)
        snprintf(state, sizeof state, "still running after %s%s%.64s", took, said[0] ? ", " : "",
                 said);
    else
        snprintf(state, sizeof state, "%.64s%s%s", said, said[0] ? ", " : "", took);
    times_text(p, p->index, elapsed_ns, times, sizeof times);
    eb_progress_compose(line, sizeof line, width_of(p), position, p->name, state, times);
    if (heartbeat) {
        fprintf(p->out, "%s\n", line);
    } else {
        fputs("\r\033[K", p->out);
        fputs(line, p->out);
    }
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
    p->point_start_ns = eb_now_ns();
    p->next_heartbeat_ns = EB_PROGRESS_HEARTBEAT_NS;
    if (p->live) running_line(p, 0, "", false);
}

void eb_progress_tick(void *arg, int64_t elapsed_ns, const char *said)
{
    eb_progress *p = arg;
    if (p->quiet) return;
    if (p->live) {
        running_line(p, elapsed_ns, said, false);
    } else if (elapsed_ns >= p->next_heartbeat_ns) {
        running_line(p, elapsed_ns, said, true);
        while (p->next_heartbeat_ns <= elapsed_ns)
            p->next_heartbeat_ns += EB_PROGRESS_HEARTBEAT_NS;
    }
}

/* `text` on lines of their own, indented, broken at spaces to fit `width`. */
static void wrapped(FILE *out, const char *text, int width)
{
    const size_t indent = 4;
    size_t room = width > (int)indent + 20 ? (size_t)width - 1 - indent : 60;
    while (*text != '\0') {
        size_t n = strlen(text);
        if (n > room) {
            n = room;
            while (n > 0 && text[n] != ' ')
                n--;
            if (n == 0) n = room; /* one word longer than a line */
        }
        fprintf(out, "%*s%.*s\n", (int)indent, "", (int)n, text);
        text += n;
        while (*text == ' ')
            text++;
    }
}

void eb_progress_done(eb_progress *p, bool ok, const char *outcome)
{
    int64_t took = eb_now_ns() - p->point_start_ns;
    if (p->estimate != NULL && p->index < p->total) eb_estimate_learn(p->estimate, p->index, took);
    if (p->quiet) return;
    clear_live(p);
    char position[48], state[LINE_MAX_BYTES], times[64], line[LINE_MAX_BYTES];
    position_text(p, position, sizeof position);
    times_text(p, p->index + 1, 0, times, sizeof times);
    int width = width_of(p);
    /* on a terminal a failure's message goes below, whole, on lines that fit */
    bool below = !ok && width > 0;
    snprintf(state, sizeof state, "%s%s",
             ok      ? ""
             : below ? "FAILED"
                     : "FAILED: ",
             below ? "" : outcome);
    eb_progress_compose(line, sizeof line, width, position, p->name, state, times);
    fprintf(p->out, "%s\n", line);
    if (below) wrapped(p->out, outcome, width);
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
