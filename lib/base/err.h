/* err.h — the one error convention of execbench.
 *
 * A function that can fail returns 0 or a negative errno (libuv's rule: never
 * a positive one, never -1 with errno set). When it can say more than the
 * errno does, it takes `char *why, size_t why_len` and fills it with one line
 * — what went wrong, naming the input, and what to do — without the program's
 * name (the caller adds it when it prints). eb_fail is the one way to fill it. */
#ifndef EB_ERR_H
#define EB_ERR_H

#include <stdarg.h>
#include <stddef.h>

/* Formats the reason into why (why_len bytes; why may be NULL when why_len is
 * 0), control characters shown as '?' so it stays one line, and returns
 * `code`, a negative errno: return eb_fail(why, why_len, -EINVAL, "...", ...). */
int eb_fail(char *why, size_t why_len, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The same with a va_list, for functions that take a format of their own. */
int eb_vfail(char *why, size_t why_len, int code, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

/* The words of a negative errno: eb_strerror(-ENOENT) is strerror(ENOENT). */
const char *eb_strerror(int code);

/* Makes text that echoes user input one line: control characters
 * (newlines, escapes) become '?'. */
void eb_one_line(char *text);

#endif
