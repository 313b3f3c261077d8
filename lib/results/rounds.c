/* rounds.c — an interleaved run's records (runs.h): every sub-round and every
 * group in context.execbench, and each point's paired figures on its median
 * row, so that a reader of the document sees what the summary shows and why
 * each set-aside round was set aside. */
#include "runs.h"

#include "internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int put(json_t *obj, const char *key, json_t *value)
{
    return value != NULL && json_object_set_new(obj, key, value) == 0 ? 0 : -ENOMEM;
}

static json_t *integers(const int64_t *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < n; i++)
        if (json_array_append_new(a, v[i] < 0 ? json_null() : json_integer((json_int_t)v[i])) !=
            0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* The "; "-separated clauses as an array of strings. */
static json_t *clauses(const char *text)
{
    json_t *a = json_array();
    while (a != NULL && text != NULL && *text != '\0') {
        const char *end = strstr(text, "; ");
        size_t n = end != NULL ? (size_t)(end - text) : strlen(text);
        if (json_array_append_new(a, json_stringn(text, n)) != 0) {
            json_decref(a);
            return NULL;
        }
        text = end != NULL ? end + 2 : text + n;
    }
    return a;
}

/* Appends obj to the array `key` of context.execbench (made when missing). */
static int append_to(eb_results_doc *doc, const char *key, json_t *obj)
{
    json_t *context = json_object_get(doc->root, EB_KEY_CONTEXT);
    json_t *eb = json_object_get(context, EB_KEY_EXECBENCH);
    if (eb == NULL && (eb = json_object()) != NULL && put(context, EB_KEY_EXECBENCH, eb) != 0)
        eb = NULL;
    json_t *array = eb != NULL ? json_object_get(eb, key) : NULL;
    if (eb != NULL && array == NULL && (array = json_array()) != NULL && put(eb, key, array) != 0)
        array = NULL;
    int rc = array != NULL && json_array_append(array, obj) == 0 ? 0 : -ENOMEM;
    json_decref(obj);
    return rc == 0 ? eb_results_type_context(doc) : rc;
}

int eb_results_add_round(eb_results_doc *doc, const eb_round_record *r)
{
    json_t *o = json_object();
    int rc = o != NULL ? 0 : -ENOMEM;
    int64_t pus[64];
    size_t probes = r->probes < 64 ? r->probes : 64;
    for (size_t i = 0; i < probes; i++)
        pus[i] = r->probe_pus[i];
    if (rc == 0) rc = put(o, EB_KEY_ROUND, json_integer((json_int_t)r->round));
    if (rc == 0) rc = put(o, EB_KEY_GROUP, json_string(r->group));
    if (rc == 0) rc = put(o, EB_KEY_START_NS, json_integer((json_int_t)r->start_ns));
    if (rc == 0) rc = put(o, EB_KEY_END_NS, json_integer((json_int_t)r->end_ns));
    if (rc == 0) rc = put(o, EB_KEY_RUN_ORDER, integers(r->run_order, r->runs));
    if (rc == 0) rc = put(o, EB_KEY_RUN_REAL_NS, integers(r->run_real_ns, r->runs));
    if (rc == 0) rc = put(o, EB_KEY_PROBE_PUS, integers(pus, probes));
    if (rc == 0) rc = put(o, EB_KEY_PROBE_BEFORE_NS, integers(r->probe_before_ns, probes));
    if (rc == 0) rc = put(o, EB_KEY_PROBE_AFTER_NS, integers(r->probe_after_ns, probes));
    if (rc == 0)
        rc = put(o, EB_KEY_PROBE_DRIFT,
                 r->probe_drift >= 0 ? json_real(r->probe_drift) : json_null());
    if (rc == 0) rc = put(o, EB_KEY_CAPACITY_NS, json_integer((json_int_t)r->capacity_ns));
    if (rc == 0) rc = put(o, EB_KEY_FOREIGN_CPU_NS, json_integer((json_int_t)r->foreign_cpu_ns));
    if (rc == 0) rc = put(o, EB_KEY_STEAL_NS, json_integer((json_int_t)r->steal_ns));
    if (rc == 0) rc = put(o, EB_KEY_DISTURBED, json_boolean(r->disturbed));
    if (rc == 0) rc = put(o, EB_KEY_REASONS, clauses(r->reasons));
    if (rc == 0) rc = put(o, EB_KEY_SET_ASIDE, json_boolean(r->set_aside));
    if (rc != 0) {
        json_decref(o);
        return rc;
    }
    return append_to(doc, EB_KEY_ROUNDS, o);
}

static json_t *interval_object(const eb_interval *i)
{
    if (!(i->estimate > 0.0)) return json_null();
    json_t *o = json_object();
    if (o == NULL) return NULL;
    bool known = eb_interval_known(i);
    if (put(o, EB_KEY_PAIRS, json_integer((json_int_t)i->n)) != 0 ||
        put(o, EB_KEY_MEDIAN, json_real(i->estimate)) != 0 ||
        put(o, EB_KEY_LOW, known ? json_real(i->low) : json_null()) != 0 ||
        put(o, EB_KEY_HIGH, known ? json_real(i->high) : json_null()) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int eb_results_add_group(eb_results_doc *doc, const eb_group_record *g)
{
    json_t *o = json_object();
    int rc = o != NULL ? 0 : -ENOMEM;
    if (rc == 0) rc = put(o, EB_KEY_GROUP, json_string(g->group));
    if (rc == 0)
        rc = put(o, EB_KEY_REFERENCE, g->reference ? json_string(g->reference) : json_null());
    if (rc == 0) rc = put(o, EB_KEY_ROUNDS_KEPT, json_integer((json_int_t)g->rounds_kept));
    if (rc == 0)
        rc = put(o, EB_KEY_ROUNDS_SET_ASIDE, json_integer((json_int_t)g->rounds_set_aside));
    if (rc == 0) rc = put(o, EB_KEY_STOPPED_BY, json_string(g->stopped_by));
    if (rc == 0) rc = put(o, EB_KEY_NOISE_FLOOR, interval_object(&g->noise_floor));
    if (rc != 0) {
        json_decref(o);
        return rc;
    }
    return append_to(doc, EB_KEY_GROUPS, o);
}

long eb_results_find_row(const eb_results_doc *doc, const char *run_name, const char *aggregate)
{
    for (size_t i = 0; i < doc->row_count; i++) {
        const eb_row *row = &doc->rows[i];
        if (strcmp(row->run_name, run_name) == 0 && strcmp(row->aggregate_name, aggregate) == 0)
            return (long)i;
    }
    return -1;
}

/* Sets an interval's three keys on row i, when the estimate is known. */
static int set_interval(eb_results_doc *doc, size_t i, const eb_interval *v, const char *key,
                        const char *low, const char *high)
{
    if (!(v->estimate > 0.0)) return 0;
    int rc = eb_row_set_real(doc, i, key, v->estimate);
    if (rc == 0 && eb_interval_known(v)) rc = eb_row_set_real(doc, i, low, v->low);
    if (rc == 0 && eb_interval_known(v)) rc = eb_row_set_real(doc, i, high, v->high);
    return rc;
}

int eb_results_set_figures(eb_results_doc *doc, double target)
{
    eb_run_set set;
    int rc = eb_runs_collect(doc, NULL, EB_KEY_BY_POINT, &set);
    if (rc != 0) return rc;
    /* every figure first: a setter moves the rows the runs point to */
    eb_ratios *ratios = calloc(set.count ? set.count : 1, sizeof *ratios);
    char **names = calloc(set.count ? set.count : 1, sizeof *names);
    if (ratios == NULL || names == NULL) rc = -ENOMEM;
    for (size_t r = 0; rc == 0 && r < set.count; r++) {
        const eb_run *run = &set.runs[r];
        if (!run->first->is_point || run->n == 0) continue;
        if ((names[r] = strdup(run->first->run_name)) == NULL) rc = -ENOMEM;
        if (rc == 0) rc = eb_run_ratios(run, eb_runs_reference(&set, run), doc->seed, &ratios[r]);
    }
    size_t count = set.count;
    eb_runs_free(&set);
    for (size_t r = 0; rc == 0 && r < count; r++) {
        if (names[r] == NULL) continue;
        long at = eb_results_find_row(doc, names[r], "median");
        if (at < 0) continue;
        const eb_ratios *x = &ratios[r];
        size_t i = (size_t)at;
        rc = set_interval(doc, i, &x->speedup, EB_KEY_SPEEDUP, EB_KEY_SPEEDUP_LOW,
                          EB_KEY_SPEEDUP_HIGH);
        if (rc == 0)
            rc = set_interval(doc, i, &x->efficiency, EB_KEY_EFFICIENCY, EB_KEY_EFFICIENCY_LOW,
                              EB_KEY_EFFICIENCY_HIGH);
        if (rc == 0 && x->paired) rc = eb_row_set_int(doc, i, EB_KEY_PAIRS, (int64_t)x->speedup.n);
        if (rc == 0 && target > 0.0) {
            /* a reference's speedup, and a CPU reference's efficiency, are 1 by
             * definition: nothing to converge */
            bool converged = true, fixed = x->reference && x->efficiency.estimate > 0.0 &&
                                           !eb_interval_known(&x->efficiency);
            if (!x->reference && x->speedup.estimate > 0.0 &&
                eb_interval_half_width(&x->speedup) > target)
                converged = false;
            if (!fixed && x->efficiency.estimate > 0.0 &&
                eb_interval_half_width(&x->efficiency) > target)
                converged = false;
            rc = eb_row_set_bool(doc, i, EB_KEY_CONVERGED, converged);
        }
    }
    for (size_t r = 0; names != NULL && r < count; r++)
        free(names[r]);
    free(names);
    free(ratios);
    return rc;
}
