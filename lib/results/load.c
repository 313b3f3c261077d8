/* load.c — reading a results document: the one validator every reader goes
 * through (results.h), and the typed view of a row. */
#include "results.h"

#include "err.h"
#include "internal.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Times beyond this (about 31.7 years) cannot come from a run; refusing them
 * keeps every later sum, ratio and conversion finite. */
#define EB_MAX_TIME_NS 1e18

/* Messages quote names from the input: at most this many bytes, and control
 * characters replaced, so a message always stays one line. A path is quoted
 * whole (up to EB_LABEL_MAX): the user needs all of it. */
#define EB_QUOTE_MAX 80
#define EB_LABEL_MAX 1024

typedef struct loader {
    const char *label;
    char *why;
    size_t why_len;
} loader;

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when the bytes there
 * are not one (a lone continuation byte, an overlong form, a truncated one). */
static size_t utf8_sequence(const unsigned char *s)
{
    if (s[0] < 0x80) return 1;
    size_t n = s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (n == 0 || (n == 3 && s[0] > 0xEF)) return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    return n;
}

static void quote_max(char *out, size_t out_len, const char *s, size_t max)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    while (*p != '\0' && n + 8 < out_len && n < max) {
        size_t len = utf8_sequence(p);
        if (len == 0 || *p < 0x20 || *p == 0x7f) {
            out[n++] = '?';
            p++;
        } else {
            memcpy(out + n, p, len);
            n += len;
            p += len;
        }
    }
    if (*p != '\0' && n + 4 < out_len) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
}

static void quote_into(char *out, size_t out_len, const char *s)
{
    quote_max(out, out_len, s, EB_QUOTE_MAX);
}

/* eb_fail with the document's label first: "label: ..." (ld may be NULL: a
 * row typed again after a setter, which cannot fail but for memory). */
__attribute__((format(printf, 2, 3))) static int fail_doc(const loader *ld, const char *fmt, ...)
{
    if (ld == NULL) return -EINVAL;
    char label[EB_LABEL_MAX + 8], what[EB_RESULTS_WHY_LEN];
    quote_max(label, sizeof label, ld->label, EB_LABEL_MAX);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return eb_fail(ld->why, ld->why_len, -EINVAL, "%s: %s", label, what);
}

/* "label:line:column: ..." — the position where the text goes wrong. */
__attribute__((format(printf, 4, 5))) static int fail_at(const loader *ld, int line, int column,
                                                         const char *fmt, ...)
{
    char label[EB_LABEL_MAX + 8], what[EB_RESULTS_WHY_LEN];
    quote_max(label, sizeof label, ld->label, EB_LABEL_MAX);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return eb_fail(ld->why, ld->why_len, -EINVAL, "%s:%d:%d: %s", label, line, column, what);
}

static const char *type_words(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return "an integer";
    case JSON_REAL:
        return "a real number";
    case JSON_TRUE:
        return "true";
    case JSON_FALSE:
        return "false";
    case JSON_NULL:
        return "null";
    }
    return "something else";
}

/* ---- one row ---------------------------------------------------------------- */

typedef struct row_ctx {
    const loader *ld;
    size_t index;
    const char *name; /* NULL until known */
} row_ctx;

__attribute__((format(printf, 2, 3))) static int fail_row(const row_ctx *rc, const char *fmt, ...)
{
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (rc->name == NULL) return fail_doc(rc->ld, "benchmarks[%zu]: %s", rc->index, what);
    char name[EB_QUOTE_MAX + 8];
    quote_into(name, sizeof name, rc->name);
    return fail_doc(rc->ld, "benchmarks[%zu] (\"%s\"): %s", rc->index, name, what);
}

/* Optional string: *out stays as is when absent. */
static int get_string(const row_ctx *rc, const json_t *obj, const char *key, bool required,
                      const char **out)
{
    const json_t *v = json_object_get(obj, key);
    if (v == NULL) {
        if (required) return fail_row(rc, "no \"%s\" (a string)", key);
        return 0;
    }
    if (!json_is_string(v))
        return fail_row(rc, "\"%s\" is %s, expected a string", key, type_words(v));
    *out = json_string_value(v);
    return 0;
}

/* Optional non-negative integer: *out stays as is when absent. */
static int get_count(const row_ctx *rc, const json_t *obj, const char *key, bool required,
                     int64_t *out)
{
    const json_t *v = json_object_get(obj, key);
    if (v == NULL) {
        if (required) return fail_row(rc, "no \"%s\" (an integer)", key);
        return 0;
    }
    if (!json_is_integer(v))
        return fail_row(rc, "\"%s\" is %s, expected an integer", key, type_words(v));
    json_int_t i = json_integer_value(v);
    if (i < 0) return fail_row(rc, "\"%s\" is %lld, expected 0 or more", key, (long long)i);
    *out = (int64_t)i;
    return 0;
}

/* Optional number (integer or real) in [0, limit]: *out stays as is when absent. */
static int get_number(const row_ctx *rc, const json_t *obj, const char *key, bool required,
                      double limit, double *out)
{
    const json_t *v = json_object_get(obj, key);
    if (v == NULL) {
        if (required) return fail_row(rc, "no \"%s\" (a number)", key);
        return 0;
    }
    if (!json_is_number(v))
        return fail_row(rc, "\"%s\" is %s, expected a number", key, type_words(v));
    double d = json_number_value(v);
    if (!(d >= 0.0)) return fail_row(rc, "\"%s\" is %g, expected 0 or more", key, d);
    if (d > limit)
        return fail_row(rc, "\"%s\" is %g, beyond any real run; is time_unit right?", key, d);
    *out = d;
    return 0;
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A growing string. */
typedef struct growing {
    char *buf;
    size_t used, cap;
} growing;

static int text_append(growing *t, const char *s, size_t len)
{
    if (t->used + len + 1 > t->cap) {
        size_t cap = (t->cap + len + 1) * 2;
        char *grown = realloc(t->buf, cap);
        if (grown == NULL) return -ENOMEM;
        t->buf = grown;
        t->cap = cap;
    }
    memcpy(t->buf + t->used, s, len);
    t->used += len;
    t->buf[t->used] = '\0';
    return 0;
}

/* The canonical form of `params` ("k=v,k=v", keys sorted), kept by the doc. */
static int canonical_params(const row_ctx *rc, eb_results_doc *doc, const json_t *params,
                            const char **out)
{
    size_t n = json_object_size(params);
    const char **keys = calloc(n ? n : 1, sizeof *keys);
    if (keys == NULL) return -ENOMEM;
    size_t k = 0;
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)params, key, v) keys[k++] = key;
    qsort(keys, n, sizeof *keys, cmp_cstr);

    growing t = {NULL, 0, 0};
    int err = text_append(&t, "", 0);
    for (size_t i = 0; i < n && err == 0; i++) {
        v = json_object_get(params, keys[i]);
        char value[64];
        const char *shown = value;
        if (json_is_string(v)) {
            shown = json_string_value(v);
        } else if (json_is_integer(v)) {
            snprintf(value, sizeof value, "%lld", (long long)json_integer_value(v));
        } else if (json_is_real(v)) {
            snprintf(value, sizeof value, "%.17g", json_real_value(v));
        } else if (json_is_boolean(v)) {
            shown = json_is_true(v) ? "true" : "false";
        } else {
            char kq[EB_QUOTE_MAX + 8];
            quote_into(kq, sizeof kq, keys[i]);
            err = fail_row(rc, "params.%s is %s, expected a string, number or boolean", kq,
                           type_words(v));
            break;
        }
        if (i > 0) err = text_append(&t, ",", 1);
        if (err == 0) err = text_append(&t, keys[i], strlen(keys[i]));
        if (err == 0) err = text_append(&t, "=", 1);
        if (err == 0) err = text_append(&t, shown, strlen(shown));
    }
    free(keys);
    if (err == 0) err = eb_results_keep_string(doc, t.buf, out);
    if (err != 0) free(t.buf);
    return err;
}

int eb_results_keep_string(eb_results_doc *doc, char *s, const char **out)
{
    if (s == NULL) return -ENOMEM;
    if (doc->string_count == doc->string_cap) {
        size_t cap = doc->string_cap ? doc->string_cap * 2 : 16;
        char **grown = realloc(doc->strings, cap * sizeof *grown);
        if (grown == NULL) return -ENOMEM;
        doc->strings = grown;
        doc->string_cap = cap;
    }
    doc->strings[doc->string_count++] = s;
    *out = s;
    return 0;
}

/* Types row `index` of doc from its JSON object: the one validator of a row. */
static int read_row(const loader *ld, eb_results_doc *doc, size_t index, json_t *obj)
{
    row_ctx rc = {ld, index, NULL};
    if (!json_is_object(obj))
        return fail_row(&rc, "is %s, expected an object (one benchmark run)", type_words(obj));

    eb_row *row = &doc->rows[index];
    memset(row, 0, sizeof *row);
    row->index = index;
    row->json = obj;
    row->family_index = row->repetitions = row->repetition_index = row->iterations = row->threads =
        -1;
    row->aggregate_name = row->aggregate_unit = row->error_message = "";
    row->pin = row->params = row->coro_stack = row->coro_stack_used = "";
    row->ideal_ns = row->spawn_ns = row->ideal_share = row->aa_real_ns = -1.0;
    row->round = row->rounds_disturbed = row->rounds_redone = -1;
    row->converged = -1;

    int rc_ = get_string(&rc, obj, EB_KEY_NAME, true, &row->name);
    if (rc_ != 0) return rc_;
    if (row->name[0] == '\0') return fail_row(&rc, "\"" EB_KEY_NAME "\" is empty");
    rc.name = row->name;

    const json_t *err_flag = json_object_get(obj, EB_KEY_ERROR_OCCURRED);
    if (err_flag != NULL && !json_is_boolean(err_flag))
        return fail_row(&rc, "\"" EB_KEY_ERROR_OCCURRED "\" is %s, expected true or false",
                        type_words(err_flag));
    row->error_occurred = json_is_true(err_flag);
    if ((rc_ = get_string(&rc, obj, EB_KEY_ERROR_MESSAGE, false, &row->error_message)) != 0)
        return rc_;

    const char *run_type = NULL;
    if ((rc_ = get_string(&rc, obj, EB_KEY_RUN_TYPE, false, &run_type)) != 0) return rc_;
    if (run_type == NULL || strcmp(run_type, "iteration") == 0) {
        row->run_type = EB_RUN_ITERATION;
    } else if (strcmp(run_type, "aggregate") == 0) {
        row->run_type = EB_RUN_AGGREGATE;
    } else {
        char q[EB_QUOTE_MAX + 8];
        quote_into(q, sizeof q, run_type);
        return fail_row(
            &rc, "\"" EB_KEY_RUN_TYPE "\" is \"%s\", expected \"iteration\" or \"aggregate\"", q);
    }
    bool aggregate = row->run_type == EB_RUN_AGGREGATE;
    if ((rc_ = get_string(&rc, obj, EB_KEY_AGGREGATE_NAME, aggregate, &row->aggregate_name)) != 0 ||
        (rc_ = get_string(&rc, obj, EB_KEY_AGGREGATE_UNIT, false, &row->aggregate_unit)) != 0)
        return rc_;

    row->run_name = NULL;
    if ((rc_ = get_string(&rc, obj, EB_KEY_RUN_NAME, false, &row->run_name)) != 0) return rc_;

    if ((rc_ = get_count(&rc, obj, EB_KEY_REPETITIONS, false, &row->repetitions)) != 0 ||
        (rc_ = get_count(&rc, obj, EB_KEY_REPETITION_INDEX, false, &row->repetition_index)) != 0 ||
        (rc_ = get_count(&rc, obj, EB_KEY_ITERATIONS, false, &row->iterations)) != 0 ||
        (rc_ = get_count(&rc, obj, EB_KEY_THREADS, false, &row->threads)) != 0 ||
        (rc_ = get_count(&rc, obj, EB_KEY_FAMILY_INDEX, false, &row->family_index)) != 0)
        return rc_;
    int64_t ignored = 0;
    if ((rc_ = get_count(&rc, obj, EB_KEY_PER_FAMILY_INSTANCE_INDEX, false, &ignored)) != 0)
        return rc_;

    /* Error rows are skipped before computing, so their times may be absent
     * (libbenchmark writes real_time 0); when present they must still be typed. */
    bool need_times = !row->error_occurred;
    row->time_unit = "ns";
    if ((rc_ = get_string(&rc, obj, EB_KEY_TIME_UNIT, need_times, &row->time_unit)) != 0)
        return rc_;
    double unit_ns = eb_time_unit_ns(row->time_unit);
    if (unit_ns == 0.0) {
        char q[EB_QUOTE_MAX + 8];
        quote_into(q, sizeof q, row->time_unit);
        return fail_row(&rc, "\"" EB_KEY_TIME_UNIT "\" is \"%s\", expected ns, us, ms or s", q);
    }
    double limit = EB_MAX_TIME_NS / unit_ns;
    if ((rc_ = get_number(&rc, obj, EB_KEY_REAL_TIME, need_times, limit, &row->real_time)) != 0 ||
        (rc_ = get_number(&rc, obj, EB_KEY_CPU_TIME, need_times, limit, &row->cpu_time)) != 0)
        return rc_;
    row->real_ns = row->real_time * unit_ns;
    row->cpu_ns = row->cpu_time * unit_ns;

    /* execbench's point keys: all of workload, executor, workers, tasks, or none. */
    const json_t *workload = json_object_get(obj, EB_KEY_WORKLOAD);
    const json_t *executor = json_object_get(obj, EB_KEY_EXECUTOR);
    if (workload != NULL || executor != NULL) {
        row->is_point = true;
        if ((rc_ = get_string(&rc, obj, EB_KEY_WORKLOAD, true, &row->workload)) != 0 ||
            (rc_ = get_string(&rc, obj, EB_KEY_EXECUTOR, true, &row->executor)) != 0 ||
            (rc_ = get_string(&rc, obj, EB_KEY_PIN, false, &row->pin)) != 0 ||
            (rc_ = get_string(&rc, obj, EB_KEY_CORO_STACK, false, &row->coro_stack)) != 0 ||
            (rc_ = get_string(&rc, obj, EB_KEY_CORO_STACK_USED, false, &row->coro_stack_used)) !=
                0 ||
            (rc_ = get_count(&rc, obj, EB_KEY_WORKERS, true, &row->workers)) != 0 ||
            (rc_ = get_count(&rc, obj, EB_KEY_TASKS, true, &row->tasks)) != 0 ||
            (rc_ = get_count(&rc, obj, EB_KEY_GIL_INTERVAL_US, false, &row->gil_interval_us)) !=
                0 ||
            (rc_ = get_number(&rc, obj, EB_KEY_IDEAL_NS, false, EB_MAX_TIME_NS, &row->ideal_ns)) !=
                0 ||
            (rc_ = get_number(&rc, obj, EB_KEY_SPAWN_NS, false, EB_MAX_TIME_NS, &row->spawn_ns)) !=
                0 ||
            (rc_ = get_number(&rc, obj, EB_KEY_IDEAL_SHARE, false, 1.0, &row->ideal_share)) != 0 ||
            (rc_ = get_count(&rc, obj, EB_KEY_ROUND, false, &row->round)) != 0 ||
            (rc_ = get_number(&rc, obj, EB_KEY_AA_REAL_NS, false, EB_MAX_TIME_NS,
                              &row->aa_real_ns)) != 0 ||
            (rc_ = get_count(&rc, obj, EB_KEY_ROUNDS_DISTURBED, false, &row->rounds_disturbed)) !=
                0 ||
            (rc_ = get_count(&rc, obj, EB_KEY_ROUNDS_REDONE, false, &row->rounds_redone)) != 0)
            return rc_;
        const json_t *converged = json_object_get(obj, EB_KEY_CONVERGED);
        if (converged != NULL && !json_is_boolean(converged))
            return fail_row(&rc, "\"" EB_KEY_CONVERGED "\" is %s, expected true or false",
                            type_words(converged));
        if (converged != NULL) row->converged = json_is_true(converged);
        if (row->workload[0] == '\0' || row->executor[0] == '\0')
            return fail_row(&rc, "\"" EB_KEY_WORKLOAD "\" and \"" EB_KEY_EXECUTOR
                                 "\" must not be empty");
        const json_t *params = json_object_get(obj, EB_KEY_PARAMS);
        if (params != NULL) {
            if (!json_is_object(params))
                return fail_row(&rc, "\"" EB_KEY_PARAMS "\" is %s, expected an object",
                                type_words(params));
            if ((rc_ = canonical_params(&rc, doc, params, &row->params)) != 0) return rc_;
        }
    }

    if (row->run_name == NULL) {
        /* Documents older than run_name: an aggregate's name is run_name + "_" + kind. */
        row->run_name = row->name;
        size_t nl = strlen(row->name), al = strlen(row->aggregate_name);
        if (aggregate && al > 0 && nl > al + 1 && row->name[nl - al - 1] == '_' &&
            strcmp(row->name + nl - al, row->aggregate_name) == 0) {
            char *stem = strndup(row->name, nl - al - 1);
            if (eb_results_keep_string(doc, stem, &row->run_name) != 0) {
                free(stem);
                return -ENOMEM;
            }
        }
    }
    return 0;
}

int eb_results_type_row(eb_results_doc *doc, size_t index)
{
    bool was_error = doc->rows[index].error_occurred;
    int rc = read_row(NULL, doc, index, doc->rows[index].json);
    if (rc == 0 && was_error != doc->rows[index].error_occurred)
        doc->error_rows += doc->rows[index].error_occurred ? 1 : (size_t)-1;
    return rc;
}

int eb_results_reserve_rows(eb_results_doc *doc, size_t more)
{
    if (doc->row_count + more <= doc->row_cap) return 0;
    size_t cap = doc->row_cap ? doc->row_cap : 16;
    while (cap < doc->row_count + more)
        cap *= 2;
    eb_row *grown = realloc(doc->rows, cap * sizeof *grown);
    if (grown == NULL) return -ENOMEM;
    doc->rows = grown;
    doc->row_cap = cap;
    return 0;
}

/* ---- the document ----------------------------------------------------------- */

/* An optional context.execbench key: *out stays as is when absent or null. */
static int context_string(const loader *ld, const json_t *eb, const char *key, const char **out)
{
    const json_t *v = json_object_get(eb, key);
    if (v == NULL || json_is_null(v)) return 0; /* null: a plan from flags has no preset */
    if (!json_is_string(v))
        return fail_doc(ld, EB_KEY_CONTEXT "." EB_KEY_EXECBENCH ".%s is %s, expected a string", key,
                        type_words(v));
    *out = json_string_value(v);
    return 0;
}

static int context_count(const loader *ld, const json_t *obj, const char *path, const char *key,
                         int64_t *out)
{
    const json_t *v = json_object_get(obj, key);
    if (v == NULL || json_is_null(v)) return 0;
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return fail_doc(ld, "%s.%s is %s, expected an integer, 0 or more", path, key,
                        type_words(v));
    *out = (int64_t)json_integer_value(v);
    return 0;
}

/* What execbench says of its run; a plain Google Benchmark document has none of it. */
static int read_execbench_context(const loader *ld, const json_t *eb, eb_results_doc *doc)
{
    static const char path[] = EB_KEY_CONTEXT "." EB_KEY_EXECBENCH;
    static const char repeat_path[] = EB_KEY_CONTEXT "." EB_KEY_EXECBENCH "." EB_KEY_REPEAT_RUN;
    if (!json_is_object(eb))
        return fail_doc(ld, "%s is %s, expected an object", path, type_words(eb));
    doc->is_execbench = true;
    int rc;
    if ((rc = context_string(ld, eb, EB_KEY_PRESET, &doc->preset)) != 0 ||
        (rc = context_string(ld, eb, EB_KEY_VERSION, &doc->version)) != 0 ||
        (rc = context_string(ld, eb, EB_KEY_INTERRUPTED_BY, &doc->interrupted_by)) != 0 ||
        (rc = context_count(ld, eb, path, EB_KEY_POINTS_PLANNED, &doc->points_planned)) != 0 ||
        (rc = context_count(ld, eb, path, EB_KEY_POINTS_RUN, &doc->points_run)) != 0)
        return rc;
    const json_t *interrupted = json_object_get(eb, EB_KEY_INTERRUPTED);
    if (interrupted != NULL && !json_is_null(interrupted) && !json_is_boolean(interrupted))
        return fail_doc(ld, "%s." EB_KEY_INTERRUPTED " is %s, expected true or false", path,
                        type_words(interrupted));
    doc->interrupted = json_is_true(interrupted);
    int64_t seed = -1;
    if ((rc = context_count(ld, eb, path, EB_KEY_SEED, &seed)) != 0) return rc;
    if (seed >= 0) doc->seed = (uint64_t)seed;
    const json_t *rounds = json_object_get(eb, EB_KEY_ROUNDS);
    if (rounds != NULL && !json_is_null(rounds)) {
        if (!json_is_array(rounds))
            return fail_doc(ld, "%s." EB_KEY_ROUNDS " is %s, expected an array", path,
                            type_words(rounds));
        doc->rounds = (int64_t)json_array_size(rounds);
        doc->rounds_disturbed = doc->rounds_set_aside = 0;
        size_t i;
        const json_t *round;
        json_array_foreach(rounds, i, round)
        {
            doc->rounds_disturbed += json_is_true(json_object_get(round, EB_KEY_DISTURBED));
            doc->rounds_set_aside += json_is_true(json_object_get(round, EB_KEY_SET_ASIDE));
        }
    }
    const json_t *repeat = json_object_get(eb, EB_KEY_REPEAT_RUN);
    if (repeat != NULL && !json_is_null(repeat)) {
        if (!json_is_object(repeat))
            return fail_doc(ld, "%s is %s, expected an object", repeat_path, type_words(repeat));
        if ((rc = context_count(ld, repeat, repeat_path, EB_KEY_REPEAT_INDEX,
                                &doc->repeat_index)) != 0 ||
            (rc = context_count(ld, repeat, repeat_path, EB_KEY_REPEAT_OF, &doc->repeat_of)) != 0)
            return rc;
    }
    return 0;
}

static int read_context(const loader *ld, const json_t *root, eb_results_doc *doc)
{
    doc->host_name = doc->date = doc->preset = doc->executable = doc->interrupted_by = "";
    doc->version = "";
    doc->points_planned = doc->points_run = doc->repeat_index = doc->repeat_of = -1;
    doc->is_execbench = doc->interrupted = false;
    doc->seed = 1;
    doc->rounds = doc->rounds_disturbed = doc->rounds_set_aside = -1;
    const json_t *ctx = json_object_get(root, EB_KEY_CONTEXT);
    if (ctx == NULL) return 0; /* compare.py needs none; neither do we */
    if (!json_is_object(ctx))
        return fail_doc(ld, "\"" EB_KEY_CONTEXT "\" is %s, expected an object", type_words(ctx));
    struct {
        const char *key;
        const char **out;
    } fields[] = {{EB_KEY_HOST_NAME, &doc->host_name},
                  {EB_KEY_DATE, &doc->date},
                  {EB_KEY_EXECUTABLE, &doc->executable},
                  {EB_KEY_POINT_PREFIX EB_KEY_VERSION, &doc->version}};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const json_t *v = json_object_get(ctx, fields[i].key);
        if (v == NULL) continue;
        if (!json_is_string(v))
            return fail_doc(ld, EB_KEY_CONTEXT ".%s is %s, expected a string", fields[i].key,
                            type_words(v));
        *fields[i].out = json_string_value(v);
    }
    const json_t *eb = json_object_get(ctx, EB_KEY_EXECBENCH);
    return eb == NULL ? 0 : read_execbench_context(ld, eb, doc);
}

int eb_results_type_context(eb_results_doc *doc)
{
    return read_context(NULL, doc->root, doc);
}

const char *eb_results_interruption(const eb_results_doc *doc, char *buf, size_t len)
{
    if (len == 0) return buf;
    buf[0] = '\0';
    if (!doc->interrupted) return buf;
    char by[EB_QUOTE_MAX + 8] = "a signal";
    if (doc->interrupted_by[0] != '\0') quote_into(by, sizeof by, doc->interrupted_by);
    if (doc->points_run >= 0 && doc->points_planned >= 0)
        snprintf(buf, len, "interrupted by %s after %lld of %lld point%s", by,
                 (long long)doc->points_run, (long long)doc->points_planned,
                 doc->points_planned == 1 ? "" : "s");
    else if (doc->points_run >= 0)
        snprintf(buf, len, "interrupted by %s after %lld point%s", by, (long long)doc->points_run,
                 doc->points_run == 1 ? "" : "s");
    else
        snprintf(buf, len, "interrupted by %s", by);
    return buf;
}

const char *eb_bytes_text(size_t bytes, char *buf, size_t len)
{
    static const struct {
        size_t scale;
        const char *unit;
    } units[] = {{(size_t)1 << 40, "TiB"},
                 {(size_t)1 << 30, "GiB"},
                 {(size_t)1 << 20, "MiB"},
                 {(size_t)1 << 10, "KiB"}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (bytes >= units[i].scale && bytes % units[i].scale == 0) {
            snprintf(buf, len, "%zu %s", bytes / units[i].scale, units[i].unit);
            return buf;
        }
    snprintf(buf, len, "%zu byte%s", bytes, bytes == 1 ? "" : "s");
    return buf;
}

static int json_syntax_error(const loader *ld, const json_error_t *je)
{
    const char *hint = "fix the file or write it again with --benchmark_format=json";
    if (strstr(je->text, "NaN") != NULL || strstr(je->text, "Infinity") != NULL)
        hint = "libbenchmark 1.7.1 writes a non-finite counter as bare NaN/Infinity, which is "
               "not JSON; make the counter finite and run again";
    else if (strstr(je->text, "premature end of input") != NULL ||
             strstr(je->text, "near end of file") != NULL)
        hint = "the file ends early: was the run interrupted or the file truncated?";
    char text[160];
    quote_into(text, sizeof text, je->text);
    return fail_at(ld, je->line, je->column, "invalid JSON: %s; %s", text, hint);
}

/* The document's shape, its context, then every row. On failure the document
 * is left empty (nothing half-loaded). */
int eb_results_adopt(const char *label, json_t *root, eb_results_doc *doc, char *why,
                     size_t why_len)
{
    loader ld = {label, why, why_len};
    memset(doc, 0, sizeof *doc);
    if (why_len > 0) why[0] = '\0';
    int rc = 0;
    if (!json_is_object(root)) {
        rc = fail_doc(&ld,
                      "not a results document: the top level is %s, expected an object with "
                      "\"" EB_KEY_BENCHMARKS "\" (Google Benchmark's --benchmark_format=json)",
                      type_words(root));
        goto out;
    }
    const json_t *rows = json_object_get(root, EB_KEY_BENCHMARKS);
    if (rows == NULL) {
        rc = fail_doc(&ld, "not a results document: no \"" EB_KEY_BENCHMARKS
                           "\" array (Google Benchmark's --benchmark_format=json writes one)");
        goto out;
    }
    if (!json_is_array(rows)) {
        rc = fail_doc(&ld, "\"" EB_KEY_BENCHMARKS "\" is %s, expected an array of runs",
                      type_words(rows));
        goto out;
    }
    /* The context first: an empty document of an interrupted run says so. */
    if ((rc = read_context(&ld, root, doc)) != 0) goto out;
    size_t n = json_array_size(rows);
    if (n == 0) {
        char said[160];
        if (doc->interrupted)
            rc = fail_doc(&ld, "%s: no results in it; run execbench again",
                          eb_results_interruption(doc, said, sizeof said));
        else if (doc->is_execbench)
            rc = fail_doc(&ld, "\"" EB_KEY_BENCHMARKS "\" is empty: the run wrote no results; run "
                               "execbench again");
        else
            rc =
                fail_doc(&ld, "\"" EB_KEY_BENCHMARKS "\" is empty: nothing to report (did a filter "
                              "exclude every benchmark?)");
        goto out;
    }
    doc->root = root;
    if (eb_results_reserve_rows(doc, n) != 0) {
        rc = fail_doc(&ld, "out of memory reading %zu rows", n);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        int r = read_row(&ld, doc, i, json_array_get(rows, i));
        if (r != 0) {
            if (r == -ENOMEM) fail_doc(&ld, "out of memory reading " EB_KEY_BENCHMARKS "[%zu]", i);
            rc = -EINVAL;
            goto out;
        }
        doc->row_count = i + 1;
        if (doc->rows[i].error_occurred) doc->error_rows++;
    }
    doc->path = strdup(label);
    if (doc->path == NULL) {
        rc = fail_doc(&ld, "out of memory");
        goto out;
    }
    return 0;
out:
    if (doc->root == NULL) json_decref(root);
    eb_results_free(doc);
    return rc;
}

int eb_results_load_buffer(const char *label, const char *data, size_t len, eb_results_doc *doc,
                           char *why, size_t why_len)
{
    loader ld = {label, why, why_len};
    memset(doc, 0, sizeof *doc);
    if (why_len > 0) why[0] = '\0';

    /* RFC 8259 lets a parser ignore a UTF-8 byte order mark; jansson does not. */
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    size_t blank = 0;
    while (blank < len && (data[blank] == ' ' || data[blank] == '\n' || data[blank] == '\r' ||
                           data[blank] == '\t'))
        blank++;
    if (blank == len)
        return fail_doc(&ld,
                        "empty file: no results in it (was the run interrupted before writing?)");
    /* jansson stops at a NUL byte as if the text ended there; JSON has none. */
    const char *nul = memchr(data, '\0', len);
    if (nul != NULL) {
        int line = 1, column = 1;
        for (const char *p = data; p < nul; p++, column++)
            if (*p == '\n') line++, column = 0;
        return fail_at(&ld, line, column,
                       "invalid JSON: a NUL byte at offset %zu; is this a text file?",
                       (size_t)(nul - data));
    }

    json_error_t je;
    json_t *root = json_loadb(data, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
    if (root == NULL) return json_syntax_error(&ld, &je);
    return eb_results_adopt(label, root, doc, why, why_len);
}

int eb_results_load_file(const char *path, size_t max_bytes, eb_results_doc *doc, char *why,
                         size_t why_len)
{
    loader ld = {path, why, why_len};
    memset(doc, 0, sizeof *doc);
    if (max_bytes == 0) max_bytes = EB_RESULTS_MAX_BYTES_DEFAULT;
    char limit[32];
    eb_bytes_text(max_bytes, limit, sizeof limit);
    bool from_stdin = strcmp(path, "-") == 0;
    FILE *f = from_stdin ? stdin : fopen(path, "rb");
    if (f == NULL) {
        int e = errno;
        fail_doc(&ld, "cannot open: %s", strerror(e));
        return -e;
    }
    /* A regular file says its size: refuse it before reading a byte. */
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max_bytes) {
        if (!from_stdin) fclose(f);
        fail_doc(&ld,
                 "%jd bytes, more than --max-input-bytes (%s): is it a results document? "
                 "raise the limit if it is",
                 (intmax_t)st.st_size, limit);
        return -EFBIG;
    }
    /* Anything else (a pipe, a device) is read up to one byte past the limit. */
    char *data = NULL;
    size_t len = 0, cap = 0;
    int e = 0;
    for (;;) {
        if (len == cap) {
            if (cap > max_bytes) {
                e = EFBIG;
                break;
            }
            size_t ncap = cap ? cap * 2 : 65536;
            if (ncap > max_bytes + 1 || ncap < cap) ncap = max_bytes + 1;
            char *grown = realloc(data, ncap);
            if (grown == NULL) {
                e = ENOMEM;
                break;
            }
            data = grown;
            cap = ncap;
        }
        size_t got = fread(data + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f)) e = errno ? errno : EIO;
            break;
        }
    }
    if (!from_stdin) fclose(f);
    if (e == EFBIG) {
        free(data);
        fail_doc(&ld,
                 "more than --max-input-bytes (%s) to read: is it a results document? raise "
                 "the limit if it is",
                 limit);
        return -EFBIG;
    }
    if (e != 0) {
        free(data);
        fail_doc(&ld, "cannot read: %s", strerror(e));
        return -e;
    }
    int rc = eb_results_load_buffer(path, data ? data : "", len, doc, why, why_len);
    free(data);
    return rc;
}

void eb_results_free(eb_results_doc *doc)
{
    if (doc == NULL) return;
    free(doc->rows);
    for (size_t i = 0; i < doc->string_count; i++)
        free(doc->strings[i]);
    free(doc->strings);
    free(doc->path);
    json_decref(doc->root);
    memset(doc, 0, sizeof *doc);
}

bool eb_row_number(const eb_row *row, const char *key, double *out)
{
    const json_t *v = json_object_get(row->json, key);
    if (!json_is_number(v)) return false;
    *out = json_number_value(v);
    return true;
}

bool eb_row_is_cv(const eb_row *row)
{
    return row->run_type == EB_RUN_AGGREGATE && strcmp(row->aggregate_name, "cv") == 0;
}
