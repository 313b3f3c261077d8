/* settings.c — the settings table (settings.h) at work: defaults, parsing
 * with getopt_long and our own one-line messages, the point process's
 * arguments and the context. (--help: settings_help.c; what the entries call:
 * settings_names.c.) */
#define EB_SETTINGS_TABLE
#include "settings.h"

#include "err.h"
#include "parse.h"
#include "suggest.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(eb_setting_table) / sizeof(*eb_setting_table) <=
                   sizeof(((eb_settings *)0)->given) / sizeof(bool),
               "eb_settings.given has room for every entry");

#define NS_PER_S INT64_C(1000000000)

static void *field(eb_settings *s, const eb_setting *e)
{
    return (char *)s + e->offset;
}

static const void *cfield(const eb_settings *s, const eb_setting *e)
{
    return (const char *)s + e->offset;
}

/* ---- defaults ---------------------------------------------------------------- */

void eb_settings_init(eb_settings *s)
{
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < eb_setting_count; i++) {
        const eb_setting *e = &eb_setting_table[i];
        if (e->kind == EB_SETTING_INT || e->kind == EB_SETTING_CHOICE ||
            e->kind == EB_SETTING_PERCENT)
            *(int64_t *)field(s, e) = e->value;
        else if (e->kind == EB_SETTING_SECONDS)
            *(int64_t *)field(s, e) = e->value * NS_PER_S;
    }
}

bool eb_settings_given(const eb_settings *s, const char *flag)
{
    for (size_t i = 0; i < eb_setting_count; i++)
        if (strcmp(eb_setting_table[i].flag, flag) == 0) return s->given[i];
    return false;
}

/* ---- parsing ------------------------------------------------------------------- */

#define OPTION_BASE 256

static int has_arg(const eb_setting *e)
{
    switch (e->kind) {
    case EB_SETTING_SWITCH:
        return no_argument;
    case EB_SETTING_OPTIONAL:
        return optional_argument;
    default:
        return required_argument;
    }
}

/* getopt_long's table, made from ours once. */
static const struct option *options(void)
{
    static struct option table[sizeof eb_setting_table / sizeof *eb_setting_table + 1];
    if (table[0].name == NULL)
        for (size_t i = 0; i < eb_setting_count; i++)
            table[i] = (struct option){eb_setting_table[i].flag, has_arg(&eb_setting_table[i]),
                                       NULL, OPTION_BASE + (int)i};
    return table;
}

/* The argv element getopt_long just read an option from: the one before the
 * value when the value came as the next element. */
static const char *option_element(char **argv)
{
    if (optarg != NULL && optind >= 2 && optarg == argv[optind - 1]) return argv[optind - 2];
    return argv[optind - 1];
}

/* " (did you mean --workers?)" for a long option name that is none of ours. */
static void suggest_option(const char *element, char *buf, size_t len)
{
    char name[80];
    const char *start = strncmp(element, "--", 2) == 0 ? element + 2 : element;
    snprintf(name, sizeof name, "%.*s", (int)strcspn(start, "="), start);
    eb_suggest s;
    eb_suggest_init(&s, name);
    for (size_t i = 0; i < eb_setting_count; i++)
        if (eb_setting_table[i].section != EB_SECTION_HIDDEN)
            eb_suggest_consider(&s, eb_setting_table[i].flag);
    eb_suggest_text(&s, "--", buf, len);
}

/* The option getopt_long just returned, as given: its exact name (getopt_long
 * takes any unique start of a name, "--worker" for --workers, which ran the
 * default preset), and a flag of one value not given before. `seen` holds
 * each flag's value so far. */
static int check_given(char **argv, const eb_setting *e, size_t index, const char **seen,
                       eb_settings *s, char *why, size_t why_len)
{
    const char *element = option_element(argv);
    const char *name = element + 2;
    size_t len = strcspn(name, "=");
    if (strncmp(element, "--", 2) != 0 || len != strlen(e->flag) ||
        strncmp(name, e->flag, len) != 0) {
        char hint[200];
        suggest_option(element, hint, sizeof hint);
        return eb_fail(why, why_len, -EINVAL, "unknown option '%.*s'%s; see --help", (int)(len + 2),
                       element, hint);
    }
    bool first = !s->given[index];
    s->given[index] = true;
    if (e->kind == EB_SETTING_SWITCH || e->kind == EB_SETTING_REPEAT) return 0;
    if (e->kind == EB_SETTING_LIST) {
        if (!first)
            return eb_fail(why, why_len, -EINVAL,
                           "--%s is given twice; give one comma-separated list: --%s a,b", e->flag,
                           e->flag);
        return 0;
    }
    const char *value = optarg != NULL ? optarg : "";
    if (first) {
        seen[index] = value;
        return 0;
    }
    if (*seen[index] != '\0' && *value != '\0')
        return eb_fail(why, why_len, -EINVAL,
                       "--%s is given twice (%s, then %s); it takes one value: give it once",
                       e->flag, seen[index], value);
    return eb_fail(why, why_len, -EINVAL, "--%s is given twice; it takes one value: give it once",
                   e->flag);
}

static int set_value(const eb_setting *e, const char *text, eb_settings *s, char *why,
                     size_t why_len)
{
    void *at = field(s, e);
    int64_t v = 0;
    int rc;
    switch (e->kind) {
    case EB_SETTING_INT:
        rc = eb_parse_i64(text, e->min, e->max, &v);
        if (rc == -EINVAL)
            return eb_fail(why, why_len, rc,
                           "--%s: '%s' is not a whole number; use %" PRId64 " to %" PRId64, e->flag,
                           text, e->min, e->max);
        if (rc == -ERANGE)
            return eb_fail(why, why_len, -EINVAL,
                           "--%s: %s is out of range; use %" PRId64 " to %" PRId64, e->flag, text,
                           e->min, e->max);
        *(int64_t *)at = v;
        return 0;
    case EB_SETTING_SECONDS:
        if (eb_parse_seconds(text, (double)e->max, &v) != 0)
            return eb_fail(why, why_len, -EINVAL,
                           "--%s: '%s' is not a number of seconds above 0 and up to %" PRId64
                           ", e.g. --%s 120 or 0.5",
                           e->flag, text, e->max, e->flag);
        *(int64_t *)at = v;
        return 0;
    case EB_SETTING_PERCENT:
        rc = eb_parse_hundredths(text, e->min, e->max, &v);
        if (rc != 0)
            return eb_fail(why, why_len, -EINVAL,
                           "--%s: '%s' is not a percentage from %g to %g, e.g. --%s 2.5", e->flag,
                           text, (double)e->min / 100.0, (double)e->max / 100.0, e->flag);
        *(int64_t *)at = v;
        return 0;
    case EB_SETTING_CHOICE: {
        eb_suggest sg;
        eb_suggest_init(&sg, text);
        for (size_t i = 0; e->choice(i) != NULL; i++) {
            if (strcmp(text, e->choice(i)) == 0) {
                *(int64_t *)at = (int64_t)i;
                return 0;
            }
            eb_suggest_consider(&sg, e->choice(i));
        }
        char hint[160], names[200];
        eb_suggest_text(&sg, "", hint, sizeof hint);
        e->names(names, sizeof names);
        return eb_fail(why, why_len, -EINVAL, "--%s: unknown %s '%s'%s; use %s", e->flag, e->noun,
                       text, hint, names);
    }
    case EB_SETTING_TEXT:
        if (*text == '\0')
            return eb_fail(why, why_len, -EINVAL, "--%s: the value is empty; give --%s %s", e->flag,
                           e->flag, e->arg);
        if (e->check != NULL && (rc = e->check(text, why, why_len)) != 0) return rc;
        *(const char **)at = text;
        return 0;
    case EB_SETTING_LIST:
        *(const char **)at = text;
        return 0;
    case EB_SETTING_REPEAT: {
        eb_setting_values *values = at;
        if (values->count == EB_SETTINGS_MAX_VALUES)
            return eb_fail(why, why_len, -EINVAL, "--%s: more than %d given", e->flag,
                           EB_SETTINGS_MAX_VALUES);
        values->value[values->count++] = text;
        return 0;
    }
    case EB_SETTING_SWITCH:
        *(bool *)at = true;
        return 0;
    case EB_SETTING_OPTIONAL: {
        eb_setting_optional *o = at;
        o->on = true;
        o->value = text;
        if (text != NULL && e->check != NULL) return e->check(text, why, why_len);
        return 0;
    }
    }
    return -EINVAL;
}

int eb_settings_parse(int argc, char **argv, eb_settings *s, char *why, size_t why_len)
{
    eb_settings_init(s);
    const struct option *table = options();
    const char *seen[sizeof eb_setting_table / sizeof *eb_setting_table] = {NULL};
    opterr = 0;
    /* 0, not 1: glibc then forgets where it was in the previous argv (a
     * half-read "-xyz" would otherwise be read on, in freed memory). */
    optind = 0;
    int opt, rc = 0, index;
    bool plan_flags = false;
    while (rc == 0 && (opt = getopt_long(argc, argv, ":h", table, &index)) != -1) {
        if (opt == 'h') {
            s->help = true;
        } else if (opt >= OPTION_BASE && opt < OPTION_BASE + (int)eb_setting_count) {
            size_t i = (size_t)(opt - OPTION_BASE);
            const eb_setting *e = &eb_setting_table[i];
            rc = check_given(argv, e, i, seen, s, why, why_len);
            if (rc == 0) rc = set_value(e, optarg, s, why, why_len);
            plan_flags |= e->plan;
        } else if (opt == ':') {
            rc = eb_fail(why, why_len, -EINVAL, "%s needs a value; see --help", argv[optind - 1]);
        } else {
            const char *bad = argv[optind - 1];
            char hint[200];
            if (optopt != 0 && optopt < OPTION_BASE && strncmp(bad, "--", 2) != 0)
                rc = eb_fail(why, why_len, -EINVAL, "unknown option '-%c'; see --help", optopt);
            else if (optopt >= OPTION_BASE && strchr(bad, '=') != NULL)
                rc = eb_fail(why, why_len, -EINVAL, "%.*s takes no value; give it alone",
                             (int)strcspn(bad, "="), bad);
            else {
                /* an unknown name, or the start of several ("--work") */
                suggest_option(bad, hint, sizeof hint);
                rc = eb_fail(why, why_len, -EINVAL, "unknown option '%.*s'%s; see --help",
                             (int)strcspn(bad, "="), bad, hint);
            }
        }
    }
    if (rc == 0 && optind < argc)
        rc = eb_fail(why, why_len, -EINVAL,
                     "unexpected argument '%s'; flags take --name VALUE, see --help", argv[optind]);
    if (rc == 0 && s->preset != NULL && plan_flags) {
        char flags[400] = "";
        size_t used = 0, n = 0, plans = 0;
        for (size_t i = 0; i < eb_setting_count; i++)
            plans += eb_setting_table[i].plan;
        for (size_t i = 0; i < eb_setting_count && used < sizeof flags; i++) {
            if (!eb_setting_table[i].plan) continue;
            n++;
            int w = snprintf(flags + used, sizeof flags - used, "%s--%s",
                             n == 1       ? ""
                             : n == plans ? " or "
                                          : ", ",
                             eb_setting_table[i].flag);
            if (w > 0) used += (size_t)w;
        }
        rc = eb_fail(why, why_len, -EINVAL,
                     "--preset %s cannot be combined with %s; use one or the other", s->preset,
                     flags);
    }
    return rc;
}

/* ---- the point process's arguments, and the context ------------------------------ */

/* "value" of a setting the point gets, or the context records, into buf
 * ("" for text not given). */
static void value_text(const eb_settings *s, const eb_setting *e, char *buf, size_t len)
{
    if (e->kind == EB_SETTING_TEXT) {
        const char *text = *(const char *const *)cfield(s, e);
        snprintf(buf, len, "%s", text != NULL ? text : "");
        return;
    }
    int64_t v = *(const int64_t *)cfield(s, e);
    switch (e->kind) {
    case EB_SETTING_CHOICE:
        snprintf(buf, len, "%s", e->choice((size_t)v));
        break;
    case EB_SETTING_SECONDS:
        snprintf(buf, len, "%.9f", (double)v / 1e9);
        break;
    case EB_SETTING_PERCENT:
        snprintf(buf, len, "%.2f", (double)v / 100.0);
        break;
    default:
        snprintf(buf, len, "%" PRId64, v);
    }
}

int eb_settings_point_args(const eb_settings *s, int (*add)(void *arg, const char *text), void *arg)
{
    int added = 0;
    for (size_t i = 0; i < eb_setting_count; i++) {
        const eb_setting *e = &eb_setting_table[i];
        if (!e->point) continue;
        char value[EB_SETTING_TEXT_MAX], flag[EB_SETTING_TEXT_MAX + 64];
        value_text(s, e, value, sizeof value);
        if (e->kind == EB_SETTING_TEXT && value[0] == '\0') continue; /* not given */
        snprintf(flag, sizeof flag, "--%s=%s", e->flag, value);
        if (add(arg, flag) != 0) return -ENOMEM;
        added++;
    }
    return added;
}

bool eb_settings_point_equal(const eb_settings *a, const eb_settings *b)
{
    for (size_t i = 0; i < eb_setting_count; i++) {
        const eb_setting *e = &eb_setting_table[i];
        if (!e->point) continue;
        char x[EB_SETTING_TEXT_MAX], y[EB_SETTING_TEXT_MAX];
        value_text(a, e, x, sizeof x);
        value_text(b, e, y, sizeof y);
        if (strcmp(x, y) != 0) return false;
    }
    return true;
}

int eb_settings_to_context(const eb_settings *s, eb_results_doc *doc)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < eb_setting_count; i++) {
        const eb_setting *e = &eb_setting_table[i];
        if (e->context_key == NULL || (e->context_if_given && !s->given[i])) continue;
        if (e->kind == EB_SETTING_TEXT) { /* recorded when given */
            const char *text = *(const char *const *)cfield(s, e);
            if (text != NULL)
                rc = eb_results_context_string(doc, EB_CONTEXT_EXECBENCH, e->context_key, text);
            continue;
        }
        int64_t v = *(const int64_t *)cfield(s, e);
        if (e->kind == EB_SETTING_CHOICE)
            rc = eb_results_context_string(doc, EB_CONTEXT_EXECBENCH, e->context_key,
                                           e->choice((size_t)v));
        else if (e->kind == EB_SETTING_SECONDS)
            rc =
                eb_results_context_real(doc, EB_CONTEXT_EXECBENCH, e->context_key, (double)v / 1e9);
        else if (e->kind == EB_SETTING_PERCENT)
            rc = eb_results_context_real(doc, EB_CONTEXT_EXECBENCH, e->context_key,
                                         (double)v / 100.0);
        else
            rc = eb_results_context_int(doc, EB_CONTEXT_EXECBENCH, e->context_key, v);
    }
    return rc;
}
