/* settings_help.c — --help's flags from the settings table (settings.h):
 * each entry's text with its registry names and range filled in, its
 * default, wrapped to 80 columns under its section's heading. */
#include "settings.h"

#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

/* The template with "{names}" and "{range}" filled in, into buf. */
static void expand(const eb_setting *e, const char *template, char *buf, size_t len)
{
    char names[600] = "";
    if (e->names != NULL) e->names(names, sizeof names);
    char range[64];
    snprintf(range, sizeof range, "%" PRId64 "..%" PRId64, e->min, e->max);
    size_t used = 0;
    buf[0] = '\0';
    for (const char *p = template; *p != '\0' && used + 1 < len;) {
        const char *with = NULL;
        size_t skip = 0;
        if (strncmp(p, "{names}", 7) == 0)
            with = names, skip = 7;
        else if (strncmp(p, "{range}", 7) == 0)
            with = range, skip = 7;
        if (with != NULL) {
            int n = snprintf(buf + used, len - used, "%s", with);
            if (n > 0) used += (size_t)n;
            p += skip;
        } else {
            buf[used++] = *p++;
            buf[used] = '\0';
        }
    }
    if (used >= len) buf[len - 1] = '\0';
}

/* The default as --help says it: default_text, or the value. */
static void default_of(const eb_setting *e, char *buf, size_t len)
{
    buf[0] = '\0';
    if (e->default_text != NULL)
        expand(e, e->default_text, buf, len);
    else if (e->kind == EB_SETTING_INT || e->kind == EB_SETTING_SECONDS)
        snprintf(buf, len, "%" PRId64, e->value);
    else if (e->kind == EB_SETTING_CHOICE)
        snprintf(buf, len, "%s", e->choice((size_t)e->value));
    else if (e->kind == EB_SETTING_PERCENT)
        snprintf(buf, len, "%g", (double)e->value / 100.0);
}

#define HELP_WIDTH 80
#define HELP_INDENT 25

/* "  --flag ARG", then the text from column HELP_INDENT, wrapped at HELP_WIDTH. */
static void help_entry(FILE *f, const eb_setting *e)
{
    char head[64], text[2048], body[1600], dflt[800];
    if (e->kind == EB_SETTING_OPTIONAL)
        snprintf(head, sizeof head, "  --%s%s", e->flag, e->arg);
    else
        snprintf(head, sizeof head, "  %s--%s%s%s", strcmp(e->flag, "help") == 0 ? "-h, " : "",
                 e->flag, e->arg != NULL ? " " : "", e->arg != NULL ? e->arg : "");
    expand(e, e->help, body, sizeof body);
    default_of(e, dflt, sizeof dflt);
    if (dflt[0] != '\0')
        snprintf(text, sizeof text, "%s (default: %s)", body, dflt);
    else
        snprintf(text, sizeof text, "%s", body);
    fputs(head, f);
    size_t column = strlen(head);
    if (column >= HELP_INDENT - 1) {
        fputc('\n', f);
        column = 0;
    }
    for (; column < HELP_INDENT; column++)
        fputc(' ', f);
    /* word by word: a word that would pass HELP_WIDTH starts a new line */
    bool line_start = true;
    for (const char *p = text; *p != '\0';) {
        size_t word = strcspn(p, " ");
        if (!line_start && column + 1 + word > HELP_WIDTH) {
            fprintf(f, "\n%*s", HELP_INDENT, "");
            column = HELP_INDENT;
            line_start = true;
        }
        if (!line_start) {
            fputc(' ', f);
            column++;
        }
        fwrite(p, 1, word, f);
        column += word;
        line_start = false;
        p += word;
        while (*p == ' ')
            p++;
    }
    fputc('\n', f);
}

void eb_settings_help(FILE *f)
{
    static const char *const headings[] = {
        [EB_SECTION_PLAN] = "Plan (the cross product of the lists; LIST is comma-separated):",
        [EB_SECTION_MEASUREMENT] = "Measurement:",
        [EB_SECTION_OUTPUT] = "Output:",
    };
    for (int section = EB_SECTION_PLAN; section < EB_SECTION_HIDDEN; section++) {
        fprintf(f, "%s%s\n", section == EB_SECTION_PLAN ? "" : "\n", headings[section]);
        for (size_t i = 0; i < eb_setting_count; i++)
            if ((int)eb_setting_table[i].section == section) help_entry(f, &eb_setting_table[i]);
    }
}
