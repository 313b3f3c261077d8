/* build.c — building and changing a results document, and writing it
 * (results.h). Every change goes to a row's JSON object and the row is typed
 * again from it, so the two never disagree and unknown keys keep their place. */
#include "results.h"

#include "internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int eb_results_init(eb_results_doc *doc, const char *label)
{
    memset(doc, 0, sizeof *doc);
    doc->root = json_pack("{s:{},s:[]}", EB_KEY_CONTEXT, EB_KEY_BENCHMARKS);
    doc->path = strdup(label);
    if (doc->root == NULL || doc->path == NULL) {
        eb_results_free(doc);
        return -ENOMEM;
    }
    return eb_results_type_context(doc);
}

int eb_results_set_label(eb_results_doc *doc, const char *label)
{
    char *path = strdup(label);
    if (path == NULL) return -ENOMEM;
    free(doc->path);
    doc->path = path;
    return 0;
}

static json_t *rows_of(const eb_results_doc *doc)
{
    return json_object_get(doc->root, EB_KEY_BENCHMARKS);
}

/* Sets key to a new value (a new reference) in obj: 0 or -ENOMEM. */
static int put(json_t *obj, const char *key, json_t *value)
{
    return value != NULL && json_object_set_new(obj, key, value) == 0 ? 0 : -ENOMEM;
}

static int describe_point(json_t *row, const eb_point_desc *p)
{
    int rc = put(row, EB_KEY_WORKLOAD, json_string(p->workload));
    if (rc == 0) rc = put(row, EB_KEY_EXECUTOR, json_string(p->executor));
    if (rc == 0) rc = put(row, EB_KEY_WORKERS, json_integer((json_int_t)p->workers));
    if (rc == 0) rc = put(row, EB_KEY_TASKS, json_integer((json_int_t)p->tasks));
    if (rc == 0) rc = put(row, EB_KEY_PIN, json_string(p->pin));
    if (rc == 0 && p->cpuset != NULL) rc = put(row, EB_KEY_CPUSET, json_string(p->cpuset));
    if (rc == 0 && p->coro_stack != NULL)
        rc = put(row, EB_KEY_CORO_STACK, json_string(p->coro_stack));
    json_t *params = json_object();
    for (size_t i = 0; rc == 0 && params != NULL && i < p->param_count; i++)
        rc = put(params, p->param_keys[i], json_integer((json_int_t)p->param_values[i]));
    if (rc == 0)
        rc = put(row, EB_KEY_PARAMS, params);
    else
        json_decref(params);
    if (rc == 0 && p->gil_interval_us > 0)
        rc = put(row, EB_KEY_GIL_INTERVAL_US, json_integer((json_int_t)p->gil_interval_us));
    return rc;
}

int eb_results_append_row(eb_results_doc *doc, json_t *obj)
{
    if (eb_results_reserve_rows(doc, 1) != 0 || json_array_append(rows_of(doc), obj) != 0)
        return -ENOMEM;
    size_t i = doc->row_count++;
    doc->rows[i].json = obj;
    doc->rows[i].error_occurred = false;
    int rc = eb_results_type_row(doc, i);
    if (rc != 0) {
        doc->row_count--;
        json_array_remove(rows_of(doc), json_array_size(rows_of(doc)) - 1);
    }
    return rc;
}

/* Libbenchmark's keys of a point's context become the document's when it has
 * none yet; the point's own (execbench_<key>) go to context.execbench, the
 * first of each winning. */
static int take_context(eb_results_doc *doc, const json_t *part_context)
{
    json_t *context = json_object_get(doc->root, EB_KEY_CONTEXT);
    bool has_benchmark_keys = false;
    const char *key;
    json_t *value;
    json_object_foreach(context, key, value)
    {
        if (strcmp(key, EB_KEY_EXECBENCH) != 0) has_benchmark_keys = true;
    }
    size_t prefix = strlen(EB_KEY_POINT_PREFIX);
    json_object_foreach((json_t *)part_context, key, value)
    {
        int rc = 0;
        if (strncmp(key, EB_KEY_POINT_PREFIX, prefix) == 0) {
            if (!eb_results_context_has(doc, EB_CONTEXT_EXECBENCH, key + prefix)) {
                json_t *execbench = json_object_get(context, EB_KEY_EXECBENCH);
                if (execbench == NULL) {
                    execbench = json_object();
                    rc = put(context, EB_KEY_EXECBENCH, execbench);
                }
                if (rc == 0)
                    rc = json_object_set(execbench, key + prefix, value) == 0 ? 0 : -ENOMEM;
            }
        } else if (!has_benchmark_keys && strcmp(key, EB_KEY_EXECBENCH) != 0) {
            rc = json_object_set(context, key, value) == 0 ? 0 : -ENOMEM;
        }
        if (rc != 0) return rc;
    }
    return eb_results_type_context(doc);
}

int eb_results_append_point(eb_results_doc *doc, eb_results_doc *part, int64_t family,
                            const eb_point_desc *point)
{
    int rc = take_context(doc, json_object_get(part->root, EB_KEY_CONTEXT));
    for (size_t i = 0; rc == 0 && i < part->row_count; i++) {
        json_t *obj = part->rows[i].json;
        rc = put(obj, EB_KEY_FAMILY_INDEX, json_integer((json_int_t)family));
        if (rc == 0) rc = put(obj, EB_KEY_PER_FAMILY_INSTANCE_INDEX, json_integer(0));
        if (rc == 0) rc = describe_point(obj, point);
        if (rc == 0) rc = eb_results_append_row(doc, obj);
    }
    eb_results_free(part);
    return rc;
}

/* `prefix` + the string at key, unless it starts with prefix already. */
static int prefix_key(json_t *obj, const char *key, const char *prefix)
{
    const char *name = json_string_value(json_object_get(obj, key));
    if (name == NULL || strncmp(name, prefix, strlen(prefix)) == 0) return 0;
    char *renamed = NULL;
    if (asprintf(&renamed, "%s%s", prefix, name) < 0) return -ENOMEM;
    int rc = put(obj, key, json_string(renamed));
    free(renamed);
    return rc;
}

int eb_results_append_plain(eb_results_doc *doc, eb_results_doc *part, int64_t family,
                            const char *prefix, int64_t *next)
{
    int64_t top = -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < part->row_count; i++) {
        json_t *obj = part->rows[i].json;
        int64_t own = part->rows[i].family_index > 0 ? part->rows[i].family_index : 0;
        if (own > top) top = own;
        rc = put(obj, EB_KEY_FAMILY_INDEX, json_integer((json_int_t)(family + own)));
        if (rc == 0 && prefix != NULL) rc = prefix_key(obj, EB_KEY_NAME, prefix);
        if (rc == 0 && prefix != NULL) rc = prefix_key(obj, EB_KEY_RUN_NAME, prefix);
        if (rc == 0) rc = eb_results_append_row(doc, obj);
    }
    *next = family + top + 1;
    eb_results_free(part);
    return rc;
}

/* A message as a JSON string: jansson refuses text that is not UTF-8 (a point
 * process may print any bytes on stderr), and a refused string would lose the
 * whole error row, so such bytes become '?'. */
static json_t *message_string(const char *message)
{
    json_t *s = json_string(message);
    if (s != NULL) return s;
    char *ascii = strdup(message);
    if (ascii == NULL) return json_string("(out of memory)");
    for (char *c = ascii; *c != '\0'; c++)
        if ((unsigned char)*c >= 0x80) *c = '?';
    s = json_string(ascii);
    free(ascii);
    return s;
}

int eb_results_add_error(eb_results_doc *doc, const char *name, int64_t family, int64_t repetitions,
                         const eb_point_desc *point, const char *message)
{
    /* libbenchmark's error row, key for key: real_time 0, iterations 0. */
    json_t *row = json_pack(
        "{s:s, s:s, s:I, s:i, s:s, s:I, s:i, s:i, s:b, s:o, s:i, s:f, s:f, s:s}", EB_KEY_NAME, name,
        EB_KEY_RUN_NAME, name, EB_KEY_FAMILY_INDEX, (json_int_t)family,
        EB_KEY_PER_FAMILY_INSTANCE_INDEX, 0, EB_KEY_RUN_TYPE, "iteration", EB_KEY_REPETITIONS,
        (json_int_t)repetitions, EB_KEY_REPETITION_INDEX, 0, EB_KEY_THREADS, 1,
        EB_KEY_ERROR_OCCURRED, 1, EB_KEY_ERROR_MESSAGE, message_string(message), EB_KEY_ITERATIONS,
        0, EB_KEY_REAL_TIME, 0.0, EB_KEY_CPU_TIME, 0.0, EB_KEY_TIME_UNIT, "ms");
    if (row == NULL) return -ENOMEM;
    int rc = point != NULL ? describe_point(row, point) : 0;
    if (rc == 0) rc = eb_results_append_row(doc, row);
    json_decref(row);
    return rc;
}

int eb_results_set_ideal(eb_results_doc *doc, const char *run_name, int64_t ideal_ns, double share,
                         const char *basis)
{
    for (size_t i = 0; i < doc->row_count; i++) {
        eb_row *row = &doc->rows[i];
        if (strcmp(row->run_name, run_name) != 0 || row->error_occurred) continue;
        int rc =
            ideal_ns >= 0 ? put(row->json, EB_KEY_IDEAL_NS, json_integer((json_int_t)ideal_ns)) : 0;
        if (rc == 0) rc = put(row->json, EB_KEY_IDEAL_BASIS, json_string(basis));
        if (rc == 0 && share > 0.0) rc = put(row->json, EB_KEY_IDEAL_SHARE, json_real(share));
        if (rc == 0) rc = eb_results_type_row(doc, i);
        if (rc != 0) return rc;
    }
    return 0;
}

/* ---- rows, by key -------------------------------------------------------------- */

static int set_row(eb_results_doc *doc, size_t i, const char *key, json_t *value)
{
    if (i >= doc->row_count) {
        json_decref(value);
        return -EINVAL;
    }
    int rc = put(doc->rows[i].json, key, value);
    return rc == 0 ? eb_results_type_row(doc, i) : rc;
}

int eb_row_set_int(eb_results_doc *doc, size_t i, const char *key, int64_t value)
{
    return set_row(doc, i, key, json_integer((json_int_t)value));
}

int eb_row_set_real(eb_results_doc *doc, size_t i, const char *key, double value)
{
    return set_row(doc, i, key, json_real(value));
}

int eb_row_set_bool(eb_results_doc *doc, size_t i, const char *key, bool value)
{
    return set_row(doc, i, key, json_boolean(value));
}

int eb_row_set_string(eb_results_doc *doc, size_t i, const char *key, const char *value)
{
    return set_row(doc, i, key, json_string(value));
}

int eb_row_set_ints(eb_results_doc *doc, size_t i, const char *key, const int *values, size_t n)
{
    json_t *a = json_array();
    for (size_t k = 0; a != NULL && k < n; k++)
        if (json_array_append_new(a, json_integer(values[k])) != 0) {
            json_decref(a);
            a = NULL;
        }
    return a != NULL ? set_row(doc, i, key, a) : -ENOMEM;
}

int eb_row_set_strings(eb_results_doc *doc, size_t i, const char *key, const char *const *values,
                       size_t n)
{
    json_t *a = json_array();
    for (size_t k = 0; a != NULL && k < n; k++)
        if (json_array_append_new(a, json_string(values[k])) != 0) {
            json_decref(a);
            a = NULL;
        }
    return a != NULL ? set_row(doc, i, key, a) : -ENOMEM;
}

bool eb_row_take_number(eb_results_doc *doc, size_t i, const char *key, double *out)
{
    if (i >= doc->row_count || !eb_row_number(&doc->rows[i], key, out)) return false;
    json_object_del(doc->rows[i].json, key);
    eb_results_type_row(doc, i);
    return true;
}

int eb_row_integer_counters(eb_results_doc *doc, size_t i)
{
    if (i >= doc->row_count) return -EINVAL;
    if (eb_row_is_cv(&doc->rows[i])) return 0;
    for (unsigned k = 0; k < eb_key_count; k++) {
        if (eb_keys[k].kind != EB_KIND_COUNTER_INT || eb_keys[k].scope != EB_SCOPE_ROW) continue;
        json_t *v = json_object_get(doc->rows[i].json, eb_keys[k].name);
        if (json_is_real(v)) {
            int rc = put(doc->rows[i].json, eb_keys[k].name,
                         json_integer((json_int_t)llround(json_real_value(v))));
            if (rc != 0) return rc;
        }
    }
    return eb_results_type_row(doc, i);
}

bool eb_results_keep_first_error(eb_results_doc *doc)
{
    for (size_t i = 0; i < doc->row_count; i++) {
        if (!doc->rows[i].error_occurred) continue;
        json_t *only = json_array();
        if (only == NULL || json_array_append(only, doc->rows[i].json) != 0 ||
            json_object_set_new(doc->root, EB_KEY_BENCHMARKS, only) != 0)
            return false;
        doc->rows[0] = doc->rows[i];
        doc->row_count = 1;
        doc->error_rows = 1;
        eb_results_type_row(doc, 0);
        return true;
    }
    return false;
}

/* ---- the context --------------------------------------------------------------- */

/* The object `part` writes into (created when missing), and the key there. */
static json_t *context_object(eb_results_doc *doc, eb_context_part part, const char *key, char *buf,
                              size_t len, const char **at)
{
    json_t *context = json_object_get(doc->root, EB_KEY_CONTEXT);
    if (context == NULL) {
        context = json_object();
        if (put(doc->root, EB_KEY_CONTEXT, context) != 0) return NULL;
    }
    *at = key;
    if (part == EB_CONTEXT_BENCHMARK) return context;
    if (part == EB_CONTEXT_POINT) {
        snprintf(buf, len, "%s%s", EB_KEY_POINT_PREFIX, key);
        *at = buf;
        return context;
    }
    json_t *execbench = json_object_get(context, EB_KEY_EXECBENCH);
    if (execbench == NULL) {
        execbench = json_object();
        if (put(context, EB_KEY_EXECBENCH, execbench) != 0) return NULL;
    }
    return execbench;
}

static int set_context(eb_results_doc *doc, eb_context_part part, const char *key, json_t *value)
{
    char buf[256];
    const char *at;
    json_t *obj = context_object(doc, part, key, buf, sizeof buf, &at);
    if (obj == NULL || value == NULL) {
        json_decref(value);
        return -ENOMEM;
    }
    int rc = put(obj, at, value);
    return rc == 0 ? eb_results_type_context(doc) : rc;
}

int eb_results_context_string(eb_results_doc *doc, eb_context_part part, const char *key,
                              const char *value)
{
    return set_context(doc, part, key, value != NULL ? json_string(value) : json_null());
}

int eb_results_context_int(eb_results_doc *doc, eb_context_part part, const char *key,
                           int64_t value)
{
    return set_context(doc, part, key, json_integer((json_int_t)value));
}

int eb_results_context_real(eb_results_doc *doc, eb_context_part part, const char *key,
                            double value)
{
    return set_context(doc, part, key, json_real(value));
}

int eb_results_context_bool(eb_results_doc *doc, eb_context_part part, const char *key, bool value)
{
    return set_context(doc, part, key, json_boolean(value));
}

int eb_results_context_reals(eb_results_doc *doc, eb_context_part part, const char *key,
                             const double *values, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < n; i++)
        if (json_array_append_new(a, json_real(values[i])) != 0) {
            json_decref(a);
            a = NULL;
        }
    return set_context(doc, part, key, a);
}

int eb_results_context_ints(eb_results_doc *doc, const char *key, const char *const *keys,
                            const int64_t *values, size_t n)
{
    json_t *o = json_object();
    for (size_t i = 0; o != NULL && i < n; i++)
        if (put(o, keys[i], json_integer((json_int_t)values[i])) != 0) {
            json_decref(o);
            o = NULL;
        }
    return set_context(doc, EB_CONTEXT_EXECBENCH, key, o);
}

bool eb_results_context_take_int(eb_results_doc *doc, eb_context_part part, const char *key,
                                 int64_t *out)
{
    char buf[256];
    const char *at;
    json_t *obj = context_object(doc, part, key, buf, sizeof buf, &at);
    json_t *v = obj != NULL ? json_object_get(obj, at) : NULL;
    if (!json_is_integer(v)) return false;
    *out = (int64_t)json_integer_value(v);
    json_object_del(obj, at);
    eb_results_type_context(doc);
    return true;
}

bool eb_results_context_has(const eb_results_doc *doc, eb_context_part part, const char *key)
{
    const json_t *context = json_object_get(doc->root, EB_KEY_CONTEXT);
    if (part == EB_CONTEXT_EXECBENCH) context = json_object_get(context, EB_KEY_EXECBENCH);
    if (part != EB_CONTEXT_POINT) return json_object_get(context, key) != NULL;
    char at[256];
    snprintf(at, sizeof at, "%s%s", EB_KEY_POINT_PREFIX, key);
    return json_object_get(context, at) != NULL;
}

int eb_results_context_finish(eb_results_doc *doc)
{
    json_t *context = json_object_get(doc->root, EB_KEY_CONTEXT);
    json_t *execbench = json_incref(json_object_get(context, EB_KEY_EXECBENCH));
    if (execbench == NULL) return 0;
    json_object_del(context, EB_KEY_EXECBENCH);
    int rc = put(context, EB_KEY_EXECBENCH, execbench);
    return rc == 0 ? eb_results_type_context(doc) : rc;
}

/* ---- writing ------------------------------------------------------------------- */

char *eb_results_text(const eb_results_doc *doc, bool compact, size_t *len)
{
    char *text = json_dumps(doc->root, compact ? JSON_COMPACT | JSON_REAL_PRECISION(17)
                                               : JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    if (text != NULL && len != NULL) *len = strlen(text);
    return text;
}
