/* micro_fold.c — see micro_fold.h. */
#include "micro_fold.h"

#include "child.h"
#include "helpers.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MICRO_ROW "micro/execbench-micro"

bool eb_micro_fold(eb_doc *doc, const char *filter, int64_t timeout_ns, eb_progress *progress,
                   int *interrupted)
{
    char path[PATH_MAX + 32], message[PATH_MAX + 1200];
    *interrupted = 0;
    /* Beside execbench: build/, or the bin folder of an installation. */
    path[0] = '\0';
    if (eb_helper_path("execbench-micro", path, sizeof path) != 0) {
        snprintf(message, sizeof message,
                 "execbench-micro not found beside execbench (%s); build it with make", path);
        eb_doc_add_named_error(doc, MICRO_ROW, message);
        eb_progress_done(progress, false, message);
        return false;
    }
    char filter_flag[1024];
    char *argv[] = {path, "--benchmark_format=json", NULL, NULL};
    if (filter != NULL) {
        snprintf(filter_flag, sizeof filter_flag, "--benchmark_filter=%s", filter);
        argv[2] = filter_flag;
    }
    eb_child_result r;
    eb_child_run(path, argv, timeout_ns, eb_progress_tick, progress, &r);
    bool ok = false;
    if (r.interrupted != 0) {
        *interrupted = r.interrupted;
    } else if (eb_child_ok(&r)) {
        char why[600];
        if (eb_doc_add_foreign(doc, r.out, r.out_len, "micro.", why, sizeof why) == 0) {
            ok = true;
        } else {
            snprintf(message, sizeof message, "execbench-micro %s", why);
            eb_doc_add_named_error(doc, MICRO_ROW, message);
        }
    } else {
        eb_child_describe(&r, timeout_ns, "execbench-micro", message, sizeof message);
        if (WIFEXITED(r.wait_status) && WEXITSTATUS(r.wait_status) == 2 && filter != NULL)
            snprintf(message, sizeof message, "execbench-micro: no benchmark matches --micro=%s",
                     filter);
        eb_doc_add_named_error(doc, MICRO_ROW, message);
    }
    if (r.interrupted == 0)
        eb_progress_done(progress, ok, ok ? "folded into the document" : message);
    eb_child_result_free(&r);
    return ok;
}
