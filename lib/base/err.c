/* err.c — see err.h. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int eb_vfail(char *why, size_t why_len, int code, const char *fmt, va_list ap)
{
    if (why != NULL && why_len > 0) {
        vsnprintf(why, why_len, fmt, ap);
        eb_one_line(why);
    }
    return code;
}

int eb_fail(char *why, size_t why_len, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    eb_vfail(why, why_len, code, fmt, ap);
    va_end(ap);
    return code;
}

const char *eb_strerror(int code)
{
    return strerror(code < 0 ? -code : code);
}

void eb_one_line(char *text)
{
    for (unsigned char *c = (unsigned char *)text; *c != '\0'; c++)
        if (*c < 0x20 || *c == 0x7f) *c = '?';
}
