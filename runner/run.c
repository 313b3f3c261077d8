/* run.c — see run.h. */
#include "run.h"

#include "child.h"
#include "context.h"
#include "ideal.h"
#include "interrupt.h"
#include "merge.h"
#include "oslimits.h"
#include "micro_fold.h"
#include "output.h"
#include "progress.h"
#include "render.h"
#include "rounds.h"
#include "summary.h"
#include "wait.h"
#include "words.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define EB_HAVE_VALGRIND_H 1
#endif
#endif
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/* The --micro run gets this many point timeouts: it is a whole suite. */
#define MICRO_TIMEOUT_FACTOR 10

/* What a point process runs: /proc/self/exe, this very program even if its
 * file is rebuilt during the run. Under valgrind that names valgrind itself,
 * so there the path it reports (its readlink is faked) is run instead. */
static const char *exe_path(const char *self)
{
#if EB_HAVE_VALGRIND_H
    if (RUNNING_ON_VALGRIND) return self;
#endif
    (void)self;
    return "/proc/self/exe";
}

static void run_point(eb_doc *doc, const eb_point *p, const eb_settings *s, const char *self,
                      eb_progress *progress, int *interrupted)
{
    char message[1500];
    /* Up front: a point that cannot fit is refused with its estimate, never
     * started to be killed halfway (point_memory.h). */
    eb_point_memory memory;
    eb_point_memory_check(p, s, &memory);
    if (!memory.verdict.fits) {
        snprintf(message, sizeof message, "refused before it started: %s", memory.text);
        eb_doc_add_error(doc, p, s, message);
        eb_doc_set_memory(doc, p, &memory);
        eb_progress_done(progress, false, message);
        return;
    }
    char **args = eb_point_args(self, p, s);
    if (args == NULL) {
        eb_doc_add_error(doc, p, s, "out of memory building the point's command line");
        eb_progress_done(progress, false, "out of memory");
        return;
    }
    eb_child_result r;
    eb_child_run(exe_path(self), args, s->timeout_ns, eb_progress_tick, progress, &r);
    eb_point_args_free(args);
    if (r.interrupted != 0) {
        *interrupted = r.interrupted; /* an unfinished point is left out */
        eb_child_result_free(&r);
        return;
    }
    size_t failed_before = doc->failed;
    if (eb_child_ok(&r)) {
        char why[1000];
        if (eb_doc_add_point(doc, p, r.out, r.out_len, why, sizeof why) != 0) {
            snprintf(message, sizeof message, "point process %s", why);
            eb_doc_add_error(doc, p, s, message);
        }
    } else {
        eb_child_describe(&r, s->timeout_ns, "point process", message, sizeof message);
        eb_doc_add_error(doc, p, s, message);
    }
    eb_doc_set_memory(doc, p, &memory);
    eb_child_result_free(&r);

    double median;
    if (doc->failed == failed_before && eb_doc_point_median_ns(doc, p, &median)) {
        snprintf(message, sizeof message, "%.3f ms median of %" PRId64, median / 1e6,
                 s->repetitions);
        eb_progress_done(progress, true, message);
    } else {
        /* the error row just added says what happened */
        const char *error = eb_doc_last_error(doc);
        eb_progress_done(progress, false, error[0] != '\0' ? error : "no result");
    }
}

/* Where one run's document went. */
typedef struct written {
    char path[PATH_MAX]; /* the name it got (a default name may get "-2") */
    bool on_stdout;      /* it went to stdout in the end, or was meant to */
} written;

/* Writes the document to `path`: --out as its kind says (output.h), or the
 * default name as a new file, and then results/latest.json beside it, or
 * results/latest-interrupted.json when the run is incomplete (interrupted,
 * or no point ran), so latest.json always holds a whole run. When `path`
 * cannot take it (the disk filled up during the run), the document goes to
 * the rescue path, else to stdout: a run's results are never lost for want
 * of space. 0, or 1 when `path` was not (wholly) written. */
static int write_text(const eb_cli *cli, const char *path, bool incomplete, const char *text,
                      size_t len, written *w)
{
    char why[600], again[600], rescue[PATH_MAX];
    bool default_path = cli->settings.out == NULL;
    w->on_stdout = eb_output_shares_fd(path, STDOUT_FILENO);
    snprintf(w->path, sizeof w->path, "%s", eb_output_display(path));
    int rc = default_path
                 ? eb_output_write_new(text, len, path, w->path, sizeof w->path, why, sizeof why)
                 : eb_output_write(text, len, path, why, sizeof why);
    if (rc != 0) {
        eb_output_rescue_path(path, rescue, sizeof rescue);
        if (eb_output_write(text, len, rescue, again, sizeof again) == 0) {
            fprintf(stderr, "execbench: %s; the results are saved in %s instead\n", why, rescue);
        } else if (!w->on_stdout) {
            fprintf(stderr, "execbench: %s; %s too; the results follow on stdout\n", why, again);
            fwrite(text, 1, len, stdout);
            fflush(stdout);
            w->on_stdout = true;
        } else {
            fprintf(stderr, "execbench: %s; %s too; the results are lost\n", why, again);
        }
        return 1;
    }
    if (default_path) {
        char latest[PATH_MAX];
        const char *slash = strrchr(w->path, '/');
        snprintf(latest, sizeof latest, "%.*s%s", slash ? (int)(slash - w->path + 1) : 0, w->path,
                 incomplete ? "latest-interrupted.json" : "latest.json");
        if (eb_output_write(text, len, latest, why, sizeof why) != 0) {
            fprintf(stderr,
                    "execbench: %s (it still holds the previous run); the results are in %s\n", why,
                    w->path);
            return 1;
        }
        if (incomplete && !cli->settings.quiet) {
            char whole[PATH_MAX];
            snprintf(whole, sizeof whole, "%.*slatest.json", slash ? (int)(slash - w->path + 1) : 0,
                     w->path);
            fprintf(stderr,
                    "execbench: this run is incomplete, so %s %s; this one is in %s and %s\n",
                    whole,
                    access(whole, F_OK) == 0 ? "still holds the last whole run"
                                             : "is left for a whole run",
                    w->path, latest);
            return 0;
        }
    }
    if (!cli->settings.quiet) fprintf(stderr, "execbench: results written to %s\n", w->path);
    return 0;
}

/* The document, serialised once, to where it goes (write_text). */
static int write_outputs(eb_doc *doc, const eb_cli *cli, const char *path, bool incomplete,
                         written *w)
{
    size_t len = 0;
    char *text = eb_results_text(&doc->results, false, &len);
    char *whole = text != NULL ? realloc(text, len + 2) : NULL;
    if (whole == NULL) {
        free(text);
        fprintf(stderr, "execbench: out of memory writing the document\n");
        snprintf(w->path, sizeof w->path, "%s", eb_output_display(path));
        w->on_stdout = false;
        return 1;
    }
    whole[len++] = '\n';
    whole[len] = '\0';
    int rc = write_text(cli, path, incomplete, whole, len, w);
    free(whole);
    return rc;
}

/* The document's path for run `index` (1-based) of `runs`: --out or the
 * default, with "-runK" before the extension when there are several and
 * each is a file (a device, FIFO or descriptor takes each run in turn). */
static void run_path(const eb_cli *cli, time_t started, int index, int runs, char *path, size_t len)
{
    char base[PATH_MAX], why[200];
    if (cli->settings.out != NULL)
        snprintf(base, sizeof base, "%s", cli->settings.out);
    else
        eb_output_default_path(started, base, sizeof base);
    eb_output o;
    if (runs <= 1 ||
        (eb_output_resolve(base, &o, why, sizeof why) == 0 && o.kind != EB_OUTPUT_FILE)) {
        snprintf(path, len, "%s", base);
        return;
    }
    char run[32];
    snprintf(run, sizeof run, "-run%0*d", snprintf(NULL, 0, "%d", runs), index);
    eb_output_insert(base, run, path, len);
}

/* "2 of 8 points failed", "the --micro step failed", or both: the micro step
 * is no point, so it is counted apart. */
static void report_failures(const eb_doc *doc, const char *path)
{
    char points[120] = "";
    if (doc->failed > 0)
        snprintf(points, sizeof points, "%zu of %zu %s failed", doc->failed, doc->points,
                 eb_plural(doc->points, "point", "points"));
    fprintf(stderr, "execbench: %s%s%s; see the error_message of %s in %s\n", points,
            doc->failed > 0 && doc->others_failed > 0 ? " and " : "",
            doc->others_failed > 0 ? "the --micro step failed" : "",
            doc->failed + doc->others_failed == 1 ? "its row" : "their rows", path);
}

/* What one run leaves for the next: its point names, its status. */
typedef struct run_outcome {
    int status;      /* as eb_run's, interruption aside */
    int interrupted; /* the signal, or 0 */
    json_t *names;   /* the set of run_name, as an object's keys */
} run_outcome;

/* The set of the document's run names, as an object's keys. */
static json_t *point_names(const eb_doc *doc)
{
    json_t *names = json_object();
    for (size_t i = 0; names != NULL && i < doc->results.row_count; i++)
        json_object_set_new(names, doc->results.rows[i].run_name, json_true());
    return names;
}

void eb_run_table(FILE *f, const eb_results_doc *doc)
{
    eb_summary_options opt = {.points_only = true, .name_noisy_points = true};
    eb_report *report = NULL;
    char why[256];
    if (eb_summary_build(doc, 1, &opt, &report, why, sizeof why) == 0) {
        fputc('\n', f); /* apart from the progress above it */
        eb_render(report, eb_report_formats[0], false, f);
    }
    eb_report_free(report);
}

static void one_run(const eb_cli *cli, const eb_plan *plan, const eb_topology *topo, int argc,
                    char *const argv[], const char *self, int index, int runs, run_outcome *o)
{
    memset(o, 0, sizeof *o);
    time_t started = time(NULL);
    int64_t run_start_ns = eb_now_ns();
    char path[PATH_MAX], why[600];
    run_path(cli, started, index, runs, path, sizeof path);
    if (eb_output_prepare(path, why, sizeof why) != 0) {
        fprintf(stderr, "execbench: %s\n", why);
        o->status = 2;
        return;
    }
    eb_self_usage at_start;
    eb_self_usage_read(&at_start);
    eb_doc doc;
    if (eb_doc_init(&doc, eb_output_display(path)) != 0) {
        fprintf(stderr, "execbench: out of memory\n");
        o->status = 1;
        return;
    }
    eb_context_begin(&doc, plan, topo, argc, argv, started);
    if (runs > 1) eb_context_repeat(&doc, index, runs);
    eb_topology_summary machine;
    eb_topology_summarize(topo, &machine);
    eb_estimate estimate;
    bool estimated = eb_estimate_init(&estimate, plan, topo) == 0;
    bool rounds = plan->settings.rounds.order == EB_ORDER_INTERLEAVED;
    eb_progress progress;
    /* rounds: no estimate per point (a round's time is what its groups take) */
    eb_progress_init(&progress, stderr, cli->settings.quiet, plan->count,
                     estimated && !rounds ? &estimate : NULL);

    int interrupted = 0;
    size_t run = 0;
    if (rounds)
        run = eb_rounds_run(&doc, plan, topo, exe_path(self), self, run_start_ns, &progress,
                            &interrupted);
    for (size_t i = 0; !rounds && i < plan->count && interrupted == 0; i++) {
        if ((interrupted = eb_interrupted()) != 0) break;
        eb_progress_start(&progress, i, plan->points[i].name);
        run_point(&doc, &plan->points[i], &plan->settings, self, &progress, &interrupted);
        if (interrupted == 0) run++;
        eb_child_reap_orphans(0);
    }
    if (cli->settings.micro.on && interrupted == 0 && (interrupted = eb_interrupted()) == 0) {
        eb_progress_start(&progress, plan->count, "execbench-micro");
        eb_micro_fold(&doc, cli->settings.micro.value,
                      plan->settings.timeout_ns * MICRO_TIMEOUT_FACTOR, &progress, &interrupted);
    }
    if (interrupted != 0) {
        const char *abbrev = sigabbrev_np(interrupted);
        if (run == 0)
            eb_progress_line(&progress,
                             "execbench: interrupted by SIG%s before a point finished: writing "
                             "a document without points",
                             abbrev ? abbrev : "?");
        else
            eb_progress_line(&progress,
                             "execbench: interrupted by SIG%s: writing the %zu finished %s",
                             abbrev ? abbrev : "?", run, eb_plural(run, "point", "points"));
    }
    if (estimated) eb_estimate_free(&estimate);
    eb_doc_set_ideals(&doc, plan, topo);
    /* each point's speedup and efficiency with their intervals, on its median row */
    eb_results_set_figures(&doc.results, rounds ? (double)plan->settings.rounds.target_ci / 10000.0 : 0.0);
    eb_context_end(&doc, argv[0], run, interrupted, started, time(NULL));
    eb_self_usage at_end;
    eb_self_usage_read(&at_end);
    eb_context_parent(&doc, &at_start, &at_end);
    written w;
    int status = write_outputs(&doc, cli, path, interrupted != 0 || run == 0, &w);
    eb_results_set_label(&doc.results, w.path);
    eb_child_reap_orphans(1000000000);
    /* The table never goes where the document went: stdout then is the document's. */
    if (!cli->settings.quiet && interrupted == 0)
        eb_run_table(w.on_stdout ? stderr : stdout, &doc.results);
    if (status == 0 && (doc.failed > 0 || doc.others_failed > 0)) {
        if (!cli->settings.quiet) report_failures(&doc, w.path);
        status = 1;
    }
    o->names = point_names(&doc);
    eb_doc_free(&doc);
    o->status = status;
    o->interrupted = interrupted;
}

int eb_run(const eb_cli *cli, const eb_plan *plan, const eb_topology *topo, int argc,
           char *const argv[])
{
    int runs = cli->settings.repeat_run > 1 ? (int)cli->settings.repeat_run : 1;
    /* The first document's place is checked before anything runs. */
    char path[PATH_MAX], why[600];
    run_path(cli, time(NULL), 1, runs, path, sizeof path);
    if (eb_output_prepare(path, why, sizeof why) != 0) {
        fprintf(stderr, "execbench: %s\n", why);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    if (eb_interrupt_install() != 0) {
        fprintf(stderr, "execbench: could not install the signal handlers\n");
        return 1;
    }
    /* Workers of a killed point are handed to us, not to init: we reap them. */
    prctl(PR_SET_CHILD_SUBREAPER, 1UL, 0UL, 0UL, 0UL);
    char self[PATH_MAX] = "execbench";
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) self[n] = '\0';

    eb_self_usage before, after;
    eb_self_usage_read(&before);
    json_t *first_names = NULL;
    int status = 0, interrupted = 0;
    for (int k = 1; k <= runs && interrupted == 0; k++) {
        run_outcome o;
        one_run(cli, plan, topo, argc, argv, self, k, runs, &o);
        interrupted = o.interrupted;
        if (o.status > status) status = o.status;
        if (first_names == NULL) {
            first_names = o.names;
        } else {
            if (interrupted == 0 && !json_equal(first_names, o.names)) {
                fprintf(stderr,
                        "execbench: run %d measured %zu %s, run 1 measured %zu: the point sets "
                        "differ\n",
                        k, json_object_size(o.names),
                        eb_plural(json_object_size(o.names), "point", "points"),
                        json_object_size(first_names));
                if (status == 0) status = 1;
            }
            json_decref(o.names);
        }
        if (o.status == 2) break; /* its document had nowhere to go */
    }
    eb_self_usage_read(&after);
    if (runs > 1 && !cli->settings.quiet)
        fprintf(stderr,
                "execbench: %d runs; parent process: %lld -> %lld open files, RSS %lld -> %lld "
                "KiB\n",
                runs, (long long)before.fds, (long long)after.fds, (long long)before.rss_kib,
                (long long)after.rss_kib);
    json_decref(first_names);
    return interrupted != 0 ? 128 + interrupted : status;
}
