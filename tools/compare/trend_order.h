/* trend_order.h — the order of a history's runs: by the date in each
 * document's context, by the git revision that wrote it (its version says
 * "0.1.0 (git abc1234)"; git's own history of the repository orders the
 * commits), or as given. */
#ifndef EB_TREND_ORDER_H
#define EB_TREND_ORDER_H

#include "results.h"
#include "trend.h"

#include <stdbool.h>
#include <stddef.h>

/* The commit of a version string: "0.1.0 (git abc1234)" -> "abc1234",
 * "0.1.0 (git v1.0-3-gabc1234-dirty)" -> "abc1234"; false (buf "") when the
 * version names none. */
bool eb_version_revision(const char *version, char *buf, size_t len);

/* Seconds since the epoch of an ISO 8601 date with an offset
 * ("2026-11-30T09:48:57+00:00", libbenchmark's context.date); false when the
 * text is no such date. */
bool eb_parse_date(const char *text, double *out);

/* Sorts order[0..n) (indexes into docs) by `how`; ties by date, then by the
 * file's name. 0, -ENOMEM, or -EINVAL with `why` (a document without a date
 * or a revision, a revision not in the history of `repo`, git failing). */
int eb_trend_sort(const eb_results_doc *docs, size_t *order, size_t n, eb_trend_order how,
                  const char *repo, char *why, size_t why_len);

#endif
