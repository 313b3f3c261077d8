/* internal.h — what the results library's files share and nobody else sees. */
#ifndef EB_RESULTS_INTERNAL_H
#define EB_RESULTS_INTERNAL_H

#include "results.h"

/* Keeps `s` (malloc'd) for as long as the document lives; *out = s. 0, or
 * -ENOMEM (s is then not kept: the caller frees it). */
int eb_results_keep_string(eb_results_doc *doc, char *s, const char **out);

/* Types row `index` again from its JSON object, after a change to it. */
int eb_results_type_row(eb_results_doc *doc, size_t index);

/* Types the context's fields again, after a change to it. */
int eb_results_type_context(eb_results_doc *doc);

/* Appends obj (a new reference is taken) as the document's last row, typed.
 * 0, or -ENOMEM / -EINVAL (then nothing was added). */
int eb_results_append_row(eb_results_doc *doc, json_t *obj);

/* Room for `more` rows. 0 or -ENOMEM. */
int eb_results_reserve_rows(eb_results_doc *doc, size_t more);

#endif
