/* merge.c — see merge.h. */
#include "merge.h"

#include "gbjson.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MANUAL_TIME "/manual_time"

int eb_doc_init(eb_doc *doc)
{
    memset(doc, 0, sizeof *doc);
    doc->root = json_pack("{s:{},s:[]}", "context", "benchmarks");
    return doc->root != NULL ? 0 : -ENOMEM;
}

void eb_doc_free(eb_doc *doc)
{
    json_decref(doc->root);
    doc->root = NULL;
}

json_t *eb_doc_context(eb_doc *doc)
{
    return json_object_get(doc->root, "context");
}

json_t *eb_doc_rows(eb_doc *doc)
{
    return json_object_get(doc->root, "benchmarks");
}

json_t *eb_doc_execbench(eb_doc *doc)
{
    json_t *context = eb_doc_context(doc);
    json_t *e = json_object_get(context, "execbench");
    if (e == NULL) {
        e = json_object();
        json_object_set_new(context, "execbench", e);
    }
    return e;
}

double eb_time_unit_ns(const char *unit)
{
    if (unit == NULL) return 0;
    if (strcmp(unit, "ns") == 0) return 1;
    if (strcmp(unit, "us") == 0) return 1e3;
    if (strcmp(unit, "ms") == 0) return 1e6;
    if (strcmp(unit, "s") == 0) return 1e9;
    return 0;
}

static int fail(char *why, size_t why_len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *why, size_t why_len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, why_len, fmt, ap);
    va_end(ap);
    return -EINVAL;
}

/* The keys every reader of Google Benchmark JSON relies on, with their types. */
static int check_row(json_t *row, size_t index, char *why, size_t why_len)
{
    if (!json_is_object(row)) return fail(why, why_len, "benchmarks[%zu] is not an object", index);
    static const struct {
        const char *key;
        json_type type;
    } required[] = {
        {"name", JSON_STRING},    {"run_type", JSON_STRING}, {"iterations", JSON_INTEGER},
        {"real_time", JSON_REAL}, {"cpu_time", JSON_REAL},   {"time_unit", JSON_STRING},
    };
    for (size_t k = 0; k < sizeof required / sizeof *required; k++) {
        json_t *v = json_object_get(row, required[k].key);
        bool ok = v != NULL && (json_typeof(v) == required[k].type ||
                                (required[k].type == JSON_REAL && json_is_integer(v)));
        if (!ok)
            return fail(why, why_len, "benchmarks[%zu] has no %s %s", index,
                        required[k].type == JSON_STRING    ? "string"
                        : required[k].type == JSON_INTEGER ? "integer"
                                                           : "number",
                        required[k].key);
    }
    return 0;
}

static json_t *parse_document(const char *text, size_t len, char *why, size_t why_len)
{
    if (text == NULL || len == 0) {
        fail(why, why_len, "printed nothing");
        return NULL;
    }
    json_error_t error;
    json_t *doc = eb_gbjson_parse(text, len, &error, NULL);
    if (doc == NULL) {
        fail(why, why_len, "printed invalid JSON: line %d column %d: %s", error.line, error.column,
             error.text);
        return NULL;
    }
    json_t *rows = json_object_get(doc, "benchmarks");
    if (!json_is_object(doc) || !json_is_array(rows) || json_array_size(rows) == 0 ||
        !json_is_object(json_object_get(doc, "context"))) {
        fail(why, why_len,
             "printed JSON that is not a results document (no context or no "
             "benchmarks)");
        json_decref(doc);
        return NULL;
    }
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (check_row(row, i, why, why_len) != 0) {
            json_decref(doc);
            return NULL;
        }
    }
    return doc;
}

void eb_point_describe_row(json_t *row, const eb_point *p)
{
    json_object_set_new(row, "workload", json_string(p->workload->name));
    json_object_set_new(row, "executor", json_string(p->executor->name));
    json_object_set_new(row, "workers", json_integer(p->workers));
    json_object_set_new(row, "tasks", json_integer((json_int_t)p->tasks));
    json_object_set_new(row, "pin", json_string(eb_pin_policy_name(p->pin)));
    if (p->pin == EB_PIN_CPUSET) json_object_set_new(row, "cpuset", json_string(p->cpuset));
    json_t *params = json_object();
    for (size_t i = 0; i < p->workload->param_count; i++)
        json_object_set_new(params, p->workload->params[i].key, json_integer(p->params[i]));
    json_object_set_new(row, "params", params);
}

/* The first point document's libbenchmark context becomes the document's;
 * the point's own context keys (execbench_*) go into context.execbench. */
static void take_context(eb_doc *doc, json_t *child_context)
{
    json_t *execbench = eb_doc_execbench(doc);
    const char *key;
    json_t *value;
    json_object_foreach(child_context, key, value)
    {
        if (strncmp(key, "execbench_", 10) == 0) {
            if (json_object_get(execbench, key + 10) == NULL)
                json_object_set(execbench, key + 10, value);
        } else if (!doc->gb_context && strcmp(key, "execbench") != 0) {
            json_object_set(eb_doc_context(doc), key, value);
        }
    }
    doc->gb_context = true;
}

int eb_doc_add_point(eb_doc *doc, const eb_point *point, const char *text, size_t len, char *why,
                     size_t why_len)
{
    json_t *child = parse_document(text, len, why, why_len);
    if (child == NULL) return -EINVAL;
    char expected[EB_POINT_NAME_MAX + 16];
    snprintf(expected, sizeof expected, "%s" MANUAL_TIME, point->name);
    json_t *rows = json_object_get(child, "benchmarks");
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *name = json_string_value(json_object_get(row, "name"));
        if (strncmp(name, expected, strlen(expected)) != 0) {
            fail(why, why_len, "reported a row named '%s', not '%s'", name, expected);
            json_decref(child);
            return -EINVAL;
        }
    }
    take_context(doc, json_object_get(child, "context"));
    bool failed = false;
    json_array_foreach(rows, i, row)
    {
        json_object_set_new(row, "family_index", json_integer(doc->families));
        json_object_set_new(row, "per_family_instance_index", json_integer(0));
        eb_point_describe_row(row, point);
        if (json_is_true(json_object_get(row, "error_occurred"))) failed = true;
        json_array_append(eb_doc_rows(doc), row);
    }
    json_decref(child);
    doc->families++;
    doc->points++;
    if (failed) doc->failed++;
    return 0;
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

static json_t *error_row(const char *name, json_int_t family, json_int_t repetitions,
                         const char *message)
{
    return json_pack("{s:s, s:s, s:I, s:i, s:s, s:I, s:i, s:i, s:b, s:o, s:i, s:f, s:f, s:s}",
                     "name", name, "run_name", name, "family_index", family,
                     "per_family_instance_index", 0, "run_type", "iteration", "repetitions",
                     repetitions, "repetition_index", 0, "threads", 1, "error_occurred", 1,
                     "error_message", message_string(message), "iterations", 0, "real_time", 0.0,
                     "cpu_time", 0.0, "time_unit", "ms");
}

void eb_doc_add_error(eb_doc *doc, const eb_point *point, const eb_plan_settings *settings,
                      const char *message)
{
    char name[EB_POINT_NAME_MAX + 16];
    snprintf(name, sizeof name, "%s" MANUAL_TIME, point->name);
    json_t *row = error_row(name, doc->families, settings->repetitions, message);
    eb_point_describe_row(row, point);
    json_array_append_new(eb_doc_rows(doc), row);
    doc->families++;
    doc->points++;
    doc->failed++;
}

void eb_doc_add_named_error(eb_doc *doc, const char *name, const char *message)
{
    json_array_append_new(eb_doc_rows(doc), error_row(name, doc->families, 1, message));
    doc->families++;
    doc->others_failed++;
}

static void prefix_key(json_t *row, const char *key, const char *prefix)
{
    const char *name = json_string_value(json_object_get(row, key));
    if (name == NULL || strncmp(name, prefix, strlen(prefix)) == 0) return;
    char *renamed = NULL;
    if (asprintf(&renamed, "%s%s", prefix, name) < 0) return;
    json_object_set_new(row, key, json_string(renamed));
    free(renamed);
}

int eb_doc_add_foreign(eb_doc *doc, const char *text, size_t len, const char *prefix, char *why,
                       size_t why_len)
{
    json_t *other = parse_document(text, len, why, why_len);
    if (other == NULL) return -EINVAL;
    json_int_t base = doc->families, top = -1;
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(other, "benchmarks"), i, row)
    {
        json_int_t family = json_integer_value(json_object_get(row, "family_index"));
        if (family < 0) family = 0;
        if (family > top) top = family;
        json_object_set_new(row, "family_index", json_integer(base + family));
        prefix_key(row, "name", prefix);
        prefix_key(row, "run_name", prefix);
        if (json_is_true(json_object_get(row, "error_occurred"))) doc->others_failed++;
        json_array_append(eb_doc_rows(doc), row);
    }
    doc->families = base + top + 1;
    json_decref(other);
    return 0;
}

bool eb_doc_point_median_ns(eb_doc *doc, const char *point_name, double *ns)
{
    char run_name[EB_POINT_NAME_MAX + 16];
    snprintf(run_name, sizeof run_name, "%s" MANUAL_TIME, point_name);
    json_t *only = NULL;
    size_t iterations = 0, i;
    json_t *row;
    json_array_foreach(eb_doc_rows(doc), i, row)
    {
        const char *rn = json_string_value(json_object_get(row, "run_name"));
        if (rn == NULL || strcmp(rn, run_name) != 0) continue;
        if (json_is_true(json_object_get(row, "error_occurred"))) return false;
        const char *agg = json_string_value(json_object_get(row, "aggregate_name"));
        double unit = eb_time_unit_ns(json_string_value(json_object_get(row, "time_unit")));
        if (agg != NULL && strcmp(agg, "median") == 0) {
            *ns = json_number_value(json_object_get(row, "real_time")) * unit;
            return unit > 0;
        }
        if (agg == NULL) {
            iterations++;
            only = row;
        }
    }
    if (iterations != 1) return false;
    double unit = eb_time_unit_ns(json_string_value(json_object_get(only, "time_unit")));
    *ns = json_number_value(json_object_get(only, "real_time")) * unit;
    return unit > 0;
}
