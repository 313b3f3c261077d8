/* doc_check.h — what the reliability tests ask of a results document: did a
 * point run in full, what does a failed point's row say. */
#ifndef EB_TEST_DOC_CHECK_H
#define EB_TEST_DOC_CHECK_H

#include "sandbox.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* The rows of the point whose name starts with `prefix`, in order. */
size_t doc_point_rows(json_t *doc, const char *prefix, json_t **rows, size_t cap);

/* True when the point ran in full: `repetitions` rows (and libbenchmark's
 * four aggregates when more than one), none an error; else false, and `why`
 * says what is missing. */
bool doc_point_ok(json_t *doc, const char *prefix, int repetitions, char *why, size_t len);

/* The error_message of the point's one error row; "" when it has none. */
const char *doc_point_error(json_t *doc, const char *prefix);

/* How many points (distinct run_name) the document holds. */
size_t doc_point_count(json_t *doc);

/* context.execbench.<key> */
json_t *doc_execbench(json_t *doc, const char *key);

/* Test checks (eb_test.h): the point ran in full; its error row's message
 * matches `pattern`. A failure names the point and what was seen. */
void check_ok(json_t *doc, const char *prefix, int repetitions);
void check_error(json_t *doc, const char *prefix, const char *pattern);

/* One run of execbench for its document: in the sandbox `s` ({0}: none),
 * `plan` (flags, NULL-terminated), then --quiet --out <a new directory the
 * sandbox's uid can write>/results.json. It must exit `want_exit` and still
 * write its document, holding `points` points (those before and after a
 * failure too); else the test stops. doc_run_end frees it all. */
typedef struct doc_run {
    eb_proc p;
    char dir[64];
    json_t *doc;
} doc_run;

json_t *doc_run_plan(doc_run *r, const eb_sandbox *s, const char *const *plan, int want_exit,
                     size_t points);
void doc_run_end(doc_run *r);

/* True when `text` matches the shell pattern `pattern` (fnmatch: * and ?). */
bool matches(const char *text, const char *pattern);

#endif
