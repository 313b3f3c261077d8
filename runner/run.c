/* run.c — see run.h. */
#include "run.h"

#include "child.h"
#include "context.h"
#include "ideal.h"
#include "interrupt.h"
#include "merge.h"
#include "micro.h"
#include "output.h"
#include "progress.h"
#include "table.h"

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/* The --micro run gets this many point timeouts: it is a whole suite. */
#define MICRO_TIMEOUT_FACTOR 10

static void run_point(eb_doc *doc, const eb_point *p, const eb_plan_settings *s, const char *self,
                      eb_progress *progress, int *interrupted)
{
    char **args = eb_point_args(self, p, s);
    char message[1500];
    if (args == NULL) {
        eb_doc_add_error(doc, p, s, "out of memory building the point's command line");
        eb_progress_done(progress, false, "out of memory");
        return;
    }
    eb_child_result r;
    eb_child_run("/proc/self/exe", args, s->timeout_ns, eb_progress_tick, progress, &r);
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
    eb_child_result_free(&r);

    double median;
    if (doc->failed == failed_before && eb_doc_point_median_ns(doc, p->name, &median)) {
        snprintf(message, sizeof message, "%.3f ms median of %d", median / 1e6, s->repetitions);
        eb_progress_done(progress, true, message);
    } else {
        /* the error row just added says what happened */
        json_t *rows = eb_doc_rows(doc);
        json_t *last = json_array_get(rows, json_array_size(rows) - 1);
        const char *error = json_string_value(json_object_get(last, "error_message"));
        eb_progress_done(progress, false, error ? error : "no result");
    }
}

static int write_outputs(eb_doc *doc, const char *path, bool latest, bool quiet)
{
    char why[600];
    int status = 0;
    if (eb_output_write(doc->root, path, why, sizeof why) != 0) {
        fprintf(stderr, "execbench: %s\n", why);
        status = 1;
    }
    if (status == 0 && latest) {
        char latest_path[PATH_MAX];
        const char *slash = strrchr(path, '/');
        snprintf(latest_path, sizeof latest_path, "%.*slatest.json",
                 slash ? (int)(slash - path + 1) : 0, path);
        if (eb_output_write(doc->root, latest_path, why, sizeof why) != 0) {
            fprintf(stderr, "execbench: %s\n", why);
            status = 1;
        }
    }
    if (status == 0 && !quiet) fprintf(stderr, "execbench: results written to %s\n", path);
    return status;
}

int eb_run(const eb_cli *cli, const eb_plan *plan, const eb_topology *topo, int argc,
           char *const argv[])
{
    time_t started = time(NULL);
    char path[PATH_MAX], why[600];
    if (cli->out != NULL)
        snprintf(path, sizeof path, "%s", cli->out);
    else
        eb_output_default_path(started, path, sizeof path);
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

    eb_doc doc;
    if (eb_doc_init(&doc) != 0) {
        fprintf(stderr, "execbench: out of memory\n");
        return 1;
    }
    eb_context_begin(&doc, plan, topo, argc, argv, started);
    eb_progress progress;
    eb_progress_init(&progress, stderr, cli->quiet, plan->count + (cli->micro ? 1 : 0));

    int interrupted = 0;
    size_t run = 0;
    for (size_t i = 0; i < plan->count && interrupted == 0; i++) {
        if ((interrupted = eb_interrupted()) != 0) break;
        eb_progress_start(&progress, i, plan->points[i].name);
        run_point(&doc, &plan->points[i], &plan->settings, self, &progress, &interrupted);
        if (interrupted == 0) run++;
        eb_child_reap_orphans(0);
    }
    if (cli->micro && interrupted == 0 && (interrupted = eb_interrupted()) == 0) {
        eb_progress_start(&progress, plan->count, "execbench-micro");
        eb_micro_fold(&doc, cli->micro_filter, plan->settings.timeout_ns * MICRO_TIMEOUT_FACTOR,
                      &progress, &interrupted);
    }
    if (interrupted != 0) {
        const char *abbrev = sigabbrev_np(interrupted);
        eb_progress_line(&progress,
                         "execbench: interrupted by SIG%s: writing the %zu finished points",
                         abbrev ? abbrev : "?", run);
    }
    eb_doc_set_ideals(&doc, plan, topo);
    eb_context_end(&doc, argv[0], run, interrupted, started, time(NULL));
    int status = write_outputs(&doc, path, cli->out == NULL, cli->quiet);
    eb_child_reap_orphans(1000000000);
    if (!cli->quiet && interrupted == 0) eb_table_print(stdout, doc.root);
    if (status == 0 && doc.failed > 0) {
        if (!cli->quiet)
            fprintf(stderr, "execbench: %zu of %zu points failed; see their error_message in %s\n",
                    doc.failed, doc.points, path);
        status = 1;
    }
    eb_doc_free(&doc);
    return interrupted != 0 ? 128 + interrupted : status;
}
