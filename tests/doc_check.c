/* doc_check.c — see doc_check.h. */
#include "doc_check.h"
#include "eb_test.h"

#include <fnmatch.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

static const char *str(json_t *row, const char *key)
{
    const char *s = json_string_value(json_object_get(row, key));
    return s != NULL ? s : "";
}

size_t doc_point_rows(json_t *doc, const char *prefix, json_t **rows, size_t cap)
{
    size_t n = 0, i;
    json_t *row;
    json_array_foreach(json_object_get(doc, "benchmarks"), i, row)
    {
        if (strncmp(str(row, "name"), prefix, strlen(prefix)) == 0 && n < cap) rows[n++] = row;
    }
    return n;
}

bool doc_point_ok(json_t *doc, const char *prefix, int repetitions, char *why, size_t len)
{
    json_t *rows[64];
    size_t n = doc_point_rows(doc, prefix, rows, 64);
    size_t want = (size_t)repetitions + (repetitions > 1 ? 4 : 0);
    if (n != want) {
        snprintf(why, len, "%s: %zu rows, expected %zu%s%s", prefix, n, want, n > 0 ? ": " : "",
                 n > 0 ? str(rows[0], "error_message") : "");
        return false;
    }
    for (size_t i = 0; i < n; i++)
        if (json_is_true(json_object_get(rows[i], "error_occurred"))) {
            snprintf(why, len, "%s: error: %s", prefix, str(rows[i], "error_message"));
            return false;
        }
    return true;
}

const char *doc_point_error(json_t *doc, const char *prefix)
{
    json_t *rows[64];
    size_t n = doc_point_rows(doc, prefix, rows, 64);
    if (n != 1 || !json_is_true(json_object_get(rows[0], "error_occurred"))) return "";
    return str(rows[0], "error_message");
}

size_t doc_point_count(json_t *doc)
{
    size_t count = 0, i;
    const char *last = NULL;
    json_t *row;
    json_array_foreach(json_object_get(doc, "benchmarks"), i, row)
    {
        const char *run = str(row, "run_name");
        if (last == NULL || strcmp(run, last) != 0) count++;
        last = run;
    }
    return count;
}

json_t *doc_execbench(json_t *doc, const char *key)
{
    return json_object_get(json_object_get(json_object_get(doc, "context"), "execbench"), key);
}

bool matches(const char *text, const char *pattern)
{
    return fnmatch(pattern, text, 0) == 0;
}

void check_ok(json_t *doc, const char *prefix, int repetitions)
{
    char why[600];
    EB_CHECKF(doc_point_ok(doc, prefix, repetitions, why, sizeof why), "%s", why);
}

void check_error(json_t *doc, const char *prefix, const char *pattern)
{
    const char *msg = doc_point_error(doc, prefix);
    EB_CHECKF(matches(msg, pattern), "%s:\n  says:     %s\n  expected: %s", prefix, msg, pattern);
}

json_t *doc_run_plan(doc_run *r, const eb_sandbox *s, const char *const *plan, int want_exit,
                     size_t points)
{
    tmpdir_make(r->dir, sizeof r->dir);
    if (s->uid != 0) EB_REQUIRE(chown(r->dir, s->uid, (gid_t)s->uid) == 0);
    char out[128];
    snprintf(out, sizeof out, "%s/results.json", r->dir);
    const char *args[64];
    size_t n = 0;
    for (; plan[n] != NULL; n++) {
        EB_REQUIRE(n + 4 < sizeof args / sizeof *args);
        args[n] = plan[n];
    }
    args[n++] = "--quiet";
    args[n++] = "--out";
    args[n++] = out;
    args[n] = NULL;
    int code = sandbox_run(&r->p, args, s);
    EB_CHECKF(code == want_exit, "exit %d: %s", code, r->p.err);
    r->doc = load_json(out);
    EB_REQUIRE(r->doc != NULL);
    EB_CHECKF(doc_point_count(r->doc) == points, "%zu points, expected %zu",
              doc_point_count(r->doc), points);
    return r->doc;
}

void doc_run_end(doc_run *r)
{
    json_decref(r->doc);
    proc_free(&r->p);
    tmpdir_remove(r->dir);
}
