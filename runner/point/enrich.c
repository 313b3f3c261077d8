/* enrich.c — what libbenchmark cannot hold, added to its report of a point
 * (point.h: eb_point_enrich), through the results library's typed setters. */
#include "point.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool same_map(const eb_pu_map *a, const eb_pu_map *b)
{
    return a->count == b->count &&
           (a->count == 0 || memcmp(a->pu, b->pu, a->count * sizeof *a->pu) == 0);
}

/* worker_hosts beside worker_pus, when the workers span hosts (mpi). */
static int set_hosts(eb_results_doc *doc, size_t i, const eb_pu_map *pus)
{
    const char **hosts = calloc(pus->count + 1, sizeof *hosts);
    if (hosts == NULL) return -ENOMEM;
    for (size_t k = 0; k < pus->count; k++)
        hosts[k] = pus->host[k];
    int rc = eb_row_set_strings(doc, i, EB_KEY_WORKER_HOSTS, hosts, pus->count);
    free(hosts);
    return rc;
}

int eb_point_enrich(eb_results_doc *doc, const eb_point *point, const eb_pu_map *maps,
                    int repetitions, int64_t timer_slack_ns, const char *coro_stack_used)
{
    int rc = eb_results_context_int(doc, EB_CONTEXT_POINT, EB_KEY_TIMER_SLACK_NS, timer_slack_ns);
    /* A failed point is one error row: the first failure, as libbenchmark wrote it. */
    if (rc != 0 || eb_results_keep_first_error(doc)) return rc;

    /* The PU map every repetition agreed on, else the first one's. */
    const eb_pu_map *common = repetitions > 0 && maps[0].pu != NULL ? &maps[0] : NULL;
    bool varied = false;
    for (int r = 1; common != NULL && r < repetitions; r++)
        if (maps[r].pu != NULL && !same_map(&maps[r], common)) varied = true;

    int iteration = 0;
    for (size_t i = 0; rc == 0 && i < doc->row_count; i++) {
        bool is_cv = eb_row_is_cv(&doc->rows[i]);
        bool is_iteration = doc->rows[i].run_type == EB_RUN_ITERATION;
        const eb_pu_map *pus = is_iteration && iteration < repetitions && maps[iteration].pu != NULL
                                   ? &maps[iteration]
                                   : common;
        if (pus != NULL) rc = eb_row_set_ints(doc, i, EB_KEY_WORKER_PUS, pus->pu, pus->count);
        if (rc == 0 && pus != NULL && pus->host != NULL) rc = set_hosts(doc, i, pus);
        if (rc == 0 && !is_iteration && varied)
            rc = eb_row_set_bool(doc, i, EB_KEY_WORKER_PUS_VARIED, true);
        if (rc == 0 && coro_stack_used != NULL)
            rc = eb_row_set_string(doc, i, EB_KEY_CORO_STACK_USED, coro_stack_used);
        if (is_iteration) iteration++;

        /* cpu_time: the job's user+sys CPU, this process and its workers,
         * not libbenchmark's benchmark-thread time (which misses threads and
         * processes doing the work). */
        double cpu;
        if (rc == 0 && eb_row_take_number(doc, i, EB_KEY_JOB_CPU_NS, &cpu)) {
            double unit = eb_time_unit_ns(doc->rows[i].time_unit);
            rc = eb_row_set_real(doc, i, EB_KEY_CPU_TIME, is_cv || unit <= 0 ? cpu : cpu / unit);
        }
        /* Counts and integer nanoseconds, except in cv rows (ratios there). */
        if (rc == 0 && !is_cv) rc = eb_row_integer_counters(doc, i);
        double rss;
        if (rc == 0 && !is_cv && point->tasks > 0 &&
            eb_row_number(&doc->rows[i], EB_KEY_MAX_RSS_KIB, &rss))
            rc = eb_row_set_int(doc, i, EB_KEY_MAX_RSS_PER_TASK_BYTES,
                                (int64_t)rss * 1024 / (int64_t)point->tasks);
    }
    return rc;
}
