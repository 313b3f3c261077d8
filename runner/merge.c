/* merge.c — see merge.h. */
#include "merge.h"

#include "err.h"
#include "runs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int eb_doc_init(eb_doc *doc, const char *label)
{
    memset(doc, 0, sizeof *doc);
    return eb_results_init(&doc->results, label);
}

void eb_doc_free(eb_doc *doc)
{
    eb_results_free(&doc->results);
}

/* The point as its rows describe it; keys[] holds the parameters' names. */
static eb_point_desc describe(const eb_point *p, const char **keys)
{
    for (size_t i = 0; i < p->workload->param_count; i++)
        keys[i] = p->workload->params[i].key;
    return (eb_point_desc){
        .workload = p->workload->name,
        .executor = p->executor->name,
        .pin = p->pin->name,
        .cpuset = p->pin->from_list ? p->cpuset : NULL,
        .coro_stack = p->executor->coroutines && p->coro_stack != EB_JOB_CORO_STACK_AUTO
                          ? eb_point_coro_stack_name(p->coro_stack)
                          : NULL,
        .workers = p->workers,
        .tasks = (int64_t)p->tasks,
        .param_count = p->workload->param_count,
        .param_keys = keys,
        .param_values = p->params,
        .gil_interval_us = p->gil_interval_us,
    };
}

/* The report a point process printed, as a document: parsed leniently (it
 * is libbenchmark's), then the one validator. */
static int parse_report(const char *text, size_t len, eb_results_doc *part, char *why,
                        size_t why_len)
{
    if (text == NULL || len == 0) return eb_fail(why, why_len, -EINVAL, "printed nothing");
    json_error_t error;
    json_t *root = eb_results_parse_lenient(text, len, &error, NULL);
    if (root == NULL)
        return eb_fail(why, why_len, -EINVAL, "printed invalid JSON: line %d column %d: %s",
                       error.line, error.column, error.text);
    static const char label[] = "report";
    char reason[EB_RESULTS_WHY_LEN];
    int rc = eb_results_adopt(label, root, part, reason, sizeof reason);
    if (rc == -EINVAL)
        return eb_fail(why, why_len, rc, "printed an unusable report: %s",
                       reason +
                           (strncmp(reason, label, strlen(label)) == 0 ? strlen(label) + 2 : 0));
    if (rc != 0) return eb_fail(why, why_len, rc, "out of memory reading its report");
    return 0;
}

int eb_doc_parse_point(const eb_point *point, const char *text, size_t len, eb_results_doc *part,
                       char *why, size_t why_len)
{
    int rc = parse_report(text, len, part, why, why_len);
    if (rc != 0) return rc;
    char expected[EB_POINT_NAME_MAX + 16];
    eb_results_point_run_name(point->name, expected, sizeof expected);
    for (size_t i = 0; i < part->row_count; i++) {
        const char *name = part->rows[i].name;
        if (strncmp(name, expected, strlen(expected)) != 0) {
            rc = eb_fail(why, why_len, -EINVAL, "reported a row named '%s', not '%s'", name,
                         expected);
            eb_results_free(part);
            return rc;
        }
    }
    return 0;
}

int eb_doc_add_parts(eb_doc *doc, const eb_point *point, eb_results_doc *parts, size_t n)
{
    bool failed = false;
    const char *keys[EB_MAX_PARAMS];
    eb_point_desc desc = describe(point, keys);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        failed |= parts[i].error_rows > 0;
        if (rc == 0) rc = eb_results_append_point(&doc->results, &parts[i], doc->families, &desc);
        eb_results_free(&parts[i]);
    }
    doc->families++;
    doc->points++;
    if (failed) doc->failed++;
    return rc;
}

int eb_doc_add_point(eb_doc *doc, const eb_point *point, const char *text, size_t len, char *why,
                     size_t why_len)
{
    eb_results_doc part;
    int rc = eb_doc_parse_point(point, text, len, &part, why, why_len);
    if (rc != 0) return rc;
    rc = eb_doc_add_parts(doc, point, &part, 1);
    return rc != 0 ? eb_fail(why, why_len, rc, "out of memory adding its rows") : 0;
}

void eb_doc_add_error(eb_doc *doc, const eb_point *point, const eb_settings *settings,
                      const char *message)
{
    char name[EB_POINT_NAME_MAX + 16];
    eb_results_point_run_name(point->name, name, sizeof name);
    const char *keys[EB_MAX_PARAMS];
    eb_point_desc desc = describe(point, keys);
    eb_results_add_error(&doc->results, name, doc->families, settings->repetitions, &desc, message);
    doc->families++;
    doc->points++;
    doc->failed++;
}

void eb_doc_add_named_error(eb_doc *doc, const char *name, const char *message)
{
    eb_results_add_error(&doc->results, name, doc->families, 1, NULL, message);
    doc->families++;
    doc->others_failed++;
}

int eb_doc_add_foreign(eb_doc *doc, const char *text, size_t len, const char *prefix, char *why,
                       size_t why_len)
{
    eb_results_doc part;
    int rc = parse_report(text, len, &part, why, why_len);
    if (rc != 0) return rc;
    doc->others_failed += part.error_rows;
    rc = eb_results_append_plain(&doc->results, &part, doc->families, prefix, &doc->families);
    return rc != 0 ? eb_fail(why, why_len, rc, "out of memory adding its rows") : 0;
}

int eb_doc_set_memory(eb_doc *doc, const eb_point *point, const eb_point_memory *memory)
{
    char run_name[EB_POINT_NAME_MAX + 16];
    eb_results_point_run_name(point->name, run_name, sizeof run_name);
    eb_results_doc *r = &doc->results;
    const eb_fit_verdict *v = &memory->verdict;
    int rc = 0;
    /* its rows are the last ones */
    for (size_t i = r->row_count;
         rc == 0 && i-- > 0 && strcmp(r->rows[i].run_name, run_name) == 0;) {
        rc = eb_row_set_int(r, i, EB_KEY_MEMORY_ESTIMATE_BYTES,
                            (int64_t)memory->estimate.resident_bytes);
        if (rc == 0) rc = eb_row_set_int(r, i, EB_KEY_MEMORY_NEED_BYTES, (int64_t)v->need);
        if (rc == 0) rc = eb_row_set_string(r, i, EB_KEY_MEMORY_LIMIT, eb_fit_limit_name(v->limit));
        if (rc == 0) rc = eb_row_set_int(r, i, EB_KEY_MEMORY_ROOM_BYTES, (int64_t)v->room);
    }
    return rc;
}

bool eb_doc_point_median_ns(const eb_doc *doc, const eb_point *point, double *ns)
{
    char run_name[EB_POINT_NAME_MAX + 16];
    eb_results_point_run_name(point->name, run_name, sizeof run_name);
    eb_run_figures f;
    if (!eb_results_run_figures(&doc->results, run_name, &f)) return false;
    *ns = f.median_ns;
    return true;
}

const char *eb_doc_last_error(const eb_doc *doc)
{
    const eb_results_doc *r = &doc->results;
    return r->row_count > 0 ? r->rows[r->row_count - 1].error_message : "";
}
