/* formats.c — every output format, one line each (render.h). */
#include "render.h"

#include <errno.h>
#include <string.h>

extern const eb_report_format eb_format_console;
extern const eb_report_format eb_format_markdown;
extern const eb_report_format eb_format_csv;
extern const eb_report_format eb_format_json;

/* One line each, as the other registries. */
/* clang-format off */
const eb_report_format *const eb_report_formats[] = {
    &eb_format_console,
    &eb_format_markdown,
    &eb_format_csv,
    &eb_format_json,
};
/* clang-format on */
const size_t eb_report_format_count = sizeof eb_report_formats / sizeof *eb_report_formats;

const eb_report_format *eb_report_format_find(const char *name)
{
    for (size_t i = 0; i < eb_report_format_count; i++)
        if (strcmp(eb_report_formats[i]->name, name) == 0) return eb_report_formats[i];
    return NULL;
}

void eb_report_format_names(char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < eb_report_format_count && used < len; i++) {
        const char *sep = i == 0 ? "" : i + 1 == eb_report_format_count ? " or " : ", ";
        int n = snprintf(buf + used, len - used, "%s%s", sep, eb_report_formats[i]->name);
        if (n < 0) break;
        used += (size_t)n;
    }
}

int eb_render(const eb_report *report, const eb_report_format *format, bool color, FILE *out)
{
    int rc = format->render(report, color && format->color, out);
    if (rc == 0 && (fflush(out) != 0 || ferror(out))) rc = -EIO;
    return rc;
}
