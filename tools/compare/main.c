/* main.c — execbench-compare: turn results documents into answers.
 *
 *   execbench-compare [OPTIONS] summary FILE...
 *   execbench-compare [OPTIONS] diff OLD NEW
 *   execbench-compare [OPTIONS] export FILE
 *   execbench-compare [OPTIONS] trend FILE... | DIR
 *
 * Exit status: 0 done, 1 --fail-above tripped, 2 bad usage or bad input, 3 a
 * benchmark with a result in OLD has none in NEW (with --fail-above). */
#include "diff.h"
#include "eb_build_info.h"
#include "export.h"
#include "render.h"
#include "results.h"
#include "stats.h"
#include "summary.h"
#include "trend.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROG "execbench-compare"

/* --help; the formats come from their registry (render.h). */
static const char usage_head[] =
    "usage: " PROG " [OPTIONS] summary FILE...\n"
    "       " PROG " [OPTIONS] diff OLD NEW\n"
    "       " PROG " [OPTIONS] export FILE\n"
    "       " PROG " [OPTIONS] trend FILE... | DIR\n"
    "\n"
    "Reads results documents (execbench's, or any Google Benchmark JSON such as\n"
    "execbench-micro --benchmark_format=json writes; \"-\" reads standard input).\n"
    "\n"
    "commands:\n"
    "  summary FILE...   per workload, executor x workers: median, min - max, CV,\n"
    "                    speedup over the sequential point of the same workload and\n"
    "                    tasks, efficiency against ideal_ns, the winner marked;\n"
    "                    several files side by side\n"
    "  diff OLD NEW      per benchmark in both: old and new medians, change, the\n"
    "                    two-sided Mann-Whitney U p-value over the repetitions (as\n"
    "                    Google Benchmark's compare.py), a geometric-mean row\n"
    "  export FILE       dashboard series: per benchmark its median (smaller is\n"
    "                    better) and per point its speedup and efficiency (bigger\n"
    "                    is better), in --format customSmallerIsBetter (the\n"
    "                    medians), customBiggerIsBetter (the ratios) for\n"
    "                    github-action-benchmark, or csv (every series; the\n"
    "                    default); error rows and points without a median are left\n"
    "                    out and named on stderr, aggregates never become series\n"
    "  trend FILE...|DIR each benchmark's history across runs (the .json files of\n"
    "                    DIR), ordered by --order; a change is flagged at run k\n"
    "                    when the --window runs before k and from k on differ in\n"
    "                    the U test over their pooled repetitions (p < --alpha),\n"
    "                    their medians by more than --threshold, and the level\n"
    "                    persists (each run after k beyond the old level, each\n"
    "                    before short of the new, by half the threshold)\n"
    "\n"
    "options:\n"
    "  --format FMT      the output format (default: %s):\n";

static const char usage_tail[] =
    "  --filter REGEX    only benchmarks whose name matches (POSIX extended regex)\n"
    "  --alpha A         diff, trend: the U test's significance level (default 0.05)\n"
    "  --fail-above PCT  diff: exit 1 when a significant slowdown exceeds PCT percent,\n"
    "                    exit 3 when a benchmark with a result in OLD has none in NEW\n"
    "                    (an error row there, or no row at all)\n"
    "  --allow-missing   diff, with --fail-above: a benchmark without a result in NEW\n"
    "                    does not fail the gate (it is still listed)\n"
    "  --allow-interrupted\n"
    "                    export: take a document of an interrupted run (refused\n"
    "                    otherwise: a dashboard would read its missing points as\n"
    "                    gone); trend: take such documents (left out otherwise)\n"
    "  --order HOW       trend: date (context.date; default), revision (the git\n"
    "                    commit in each document's version, in the order of git's\n"
    "                    history of --repo), or given (as on the command line)\n"
    "  --repo DIR        trend --order revision: the git repository (default: .)\n"
    "  --threshold PCT   trend: a smaller change of level is none (default 10)\n"
    "  --window N        trend: runs on each side of a change, 2..100 (default 3)\n"
    "  --max-input-bytes N\n"
    "                    read at most N bytes of a file (suffix K, M, G: KiB, MiB, GiB;\n"
    "                    default 1G); a larger input is refused\n"
    "  -h, --help        this text\n"
    "  --version         the version\n"
    "\n"
    "Figures beyond their physical bound (efficiency above 100%, a speedup above\n"
    "what the ideal allows) are marked '!', and a note names the likely cause.\n"
    "A document of an interrupted run is named so at the top.\n"
    "Colour on a terminal only, never when NO_COLOR is set.\n"
    "export --format takes customSmallerIsBetter, customBiggerIsBetter or csv.\n"
    "Exit status: 0 done; 1 --fail-above: a significant slowdown beyond it; 2 bad\n"
    "usage or input; 3 --fail-above: a benchmark with a result in OLD has none in\n"
    "NEW, unless --allow-missing (3 wins over 1).\n";

/* One line on stderr, starting with the program's name; control characters
 * from the input (a name may hold "\n") shown as '?'. */
__attribute__((format(printf, 1, 2))) static void complain(const char *fmt, ...)
{
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    for (char *p = line; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f) *p = '?';
    fprintf(stderr, "%s: %s\n", PROG, line);
}

static void usage(FILE *f)
{
    fprintf(f, usage_head, eb_report_formats[0]->name);
    for (size_t i = 0; i < eb_report_format_count; i++)
        fprintf(f, "                      %-9s %s\n", eb_report_formats[i]->name,
                eb_report_formats[i]->description);
    fputs(usage_tail, f);
}

static int usage_error(const char *what)
{
    complain("%s; see " PROG " --help", what);
    return 2;
}

static bool parse_number(const char *text, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (errno != 0 || end == text || *end != '\0' || !isfinite(v)) return false;
    *out = v;
    return true;
}

static bool use_color(void)
{
    const char *no_color = getenv("NO_COLOR");
    if (no_color != NULL && no_color[0] != '\0') return false; /* https://no-color.org */
    const char *term = getenv("TERM");
    if (term != NULL && strcmp(term, "dumb") == 0) return false;
    return isatty(STDOUT_FILENO) == 1;
}

/* "1073741824", "512K", "64M", "1G" (binary multiples) -> bytes, > 0. */
static bool parse_bytes(const char *text, size_t *out)
{
    char *end = NULL;
    errno = 0;
    if (*text < '0' || *text > '9') return false;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || end == text) return false;
    unsigned shift = 0;
    if (*end != '\0') {
        const char *units = "KMGT";
        const char *u = strchr(units, *end);
        if (u == NULL) return false;
        shift = 10u * (unsigned)(u - units + 1);
        end++;
        if (strcmp(end, "iB") == 0) end += 2;
        if (*end != '\0') return false;
    }
    if (v == 0 || v > (SIZE_MAX >> shift)) return false;
    *out = (size_t)(v << shift);
    return true;
}

typedef struct options {
    const char *format_name; /* --format as given; NULL: the command's default */
    const eb_report_format *format;
    eb_export_format export_format;
    bool allow_interrupted;
    eb_trend_options trend;
    size_t max_input_bytes;
    const char *filter_text;
    regex_t filter;
    bool has_filter;
    eb_diff_options diff;
} options;

static int load_all(char **paths, size_t count, eb_results_doc *docs, const options *opt)
{
    char why[EB_RESULTS_WHY_LEN];
    for (size_t i = 0; i < count; i++) {
        if (eb_results_load_file(paths[i], opt->max_input_bytes, &docs[i], why, sizeof why) != 0) {
            complain("%s", why);
            return 2;
        }
        /* A format with no place for a line above its table (csv): say it here. */
        if (docs[i].interrupted && !opt->format->shows_notes) {
            char said[160];
            complain("%s: %s: the report holds only the points that finished", docs[i].path,
                     eb_results_interruption(&docs[i], said, sizeof said));
        }
    }
    return 0;
}

static int emit(const eb_report *report, const options *opt)
{
    int rc = eb_render(report, opt->format, use_color(), stdout);
    if (rc != 0) {
        complain("cannot write the report: %s", strerror(-rc));
        return 2;
    }
    return 0;
}

static int run_summary(char **paths, size_t count, const options *opt)
{
    if (count == 0) return usage_error("summary needs at least one FILE");
    eb_results_doc *docs = calloc(count, sizeof *docs);
    if (docs == NULL) {
        complain("out of memory");
        return 2;
    }
    int status = load_all(paths, count, docs, opt);
    if (status == 0) {
        eb_report *report = NULL;
        char why[256];
        eb_summary_options so = {.filter = opt->has_filter ? &opt->filter : NULL};
        if (eb_summary_build(docs, count, &so, &report, why, sizeof why) != 0) {
            complain("%s", why);
            status = 2;
        } else {
            status = emit(report, opt);
        }
        eb_report_free(report);
    }
    for (size_t i = 0; i < count; i++)
        eb_results_free(&docs[i]);
    free(docs);
    return status;
}

static int run_diff(char **paths, size_t count, const options *opt)
{
    if (count != 2) return usage_error("diff needs exactly two files, OLD and NEW");
    eb_results_doc docs[2] = {0};
    int status = load_all(paths, 2, docs, opt);
    if (status == 0) {
        eb_report *report = NULL;
        eb_diff_outcome outcome = {0};
        char why[EB_RESULTS_WHY_LEN];
        if (eb_diff_build(&docs[0], &docs[1], opt->has_filter ? &opt->filter : NULL, &opt->diff,
                          &report, &outcome, why, sizeof why) != 0) {
            complain("%s", why);
            status = 2;
        } else {
            status = emit(report, opt);
            if (status == 0 && outcome.lost_fails) {
                complain("%s", outcome.lost_message);
                status = 3;
            }
            if ((status == 0 || status == 3) && outcome.over_limit > 0) {
                complain("%s", outcome.gate_message);
                if (status == 0) status = 1;
            }
        }
        free(outcome.gate_message);
        free(outcome.lost_message);
        eb_report_free(report);
    }
    eb_results_free(&docs[0]);
    eb_results_free(&docs[1]);
    return status;
}

static int run_export(char **paths, size_t count, const options *opt)
{
    if (count != 1) return usage_error("export takes one FILE");
    eb_results_doc doc = {0};
    char why[EB_RESULTS_WHY_LEN];
    if (eb_results_load_file(paths[0], opt->max_input_bytes, &doc, why, sizeof why) != 0) {
        complain("%s", why);
        return 2;
    }
    int status = 0;
    eb_export ex = {0};
    if (doc.interrupted && !opt->allow_interrupted) {
        char said[160];
        complain("%s: %s: a dashboard would read the points it never ran as gone; export a "
                 "whole run, or pass --allow-interrupted",
                 doc.path, eb_results_interruption(&doc, said, sizeof said));
        status = 2;
    } else if (eb_export_build(&doc, opt->has_filter ? &opt->filter : NULL, &ex, why, sizeof why) !=
               0) {
        complain("%s", why);
        status = 2;
    } else if (eb_export_count(&ex, opt->export_format) == 0) {
        complain("%s: no series to export: %s%s", doc.path,
                 ex.left_count ? "every benchmark failed or has no median"
                               : "no execbench point has a speedup or an efficiency",
                 ex.left_count ? " (named above)" : " (customBiggerIsBetter takes only those)");
        status = 2;
    }
    /* What the dashboard will not show, one line each, before anything else. */
    for (size_t i = 0; i < ex.left_count; i++)
        complain("%s: left out %s: %s", doc.path, ex.left_out[i].name, ex.left_out[i].reason);
    if (ex.unplanned > 0)
        complain("%s: left out %lld planned %s that never ran (the run was interrupted)", doc.path,
                 (long long)ex.unplanned, ex.unplanned == 1 ? "point" : "points");
    if (status == 0) {
        int rc = eb_export_write(&ex, opt->export_format, stdout);
        if (rc != 0) {
            complain("cannot write the export: %s", strerror(-rc));
            status = 2;
        }
    }
    eb_export_free(&ex);
    eb_results_free(&doc);
    return status;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The documents of trend: each FILE, and the .json files of each DIR (in
 * the order of their names). *out is malloc'd; its strings too. */
static int expand_inputs(char **paths, size_t count, char ***out, size_t *out_count)
{
    char **list = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < count; i++) {
        DIR *dir = opendir(paths[i]);
        size_t first = n;
        if (dir == NULL && errno != ENOTDIR) {
            if (errno == ENOENT || errno == EACCES) {
                /* a file the loader names in its own message */
            } else {
                complain("%s: cannot read the folder: %s", paths[i], strerror(errno));
                goto fail;
            }
        }
        for (struct dirent *e; dir != NULL && (e = readdir(dir)) != NULL;) {
            size_t len = strlen(e->d_name);
            if (e->d_name[0] == '.' || len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
                continue;
            if (n == cap) {
                char **grown = realloc(list, (cap = cap ? 2 * cap : 64) * sizeof *grown);
                if (grown == NULL) goto oom;
                list = grown;
            }
            if (asprintf(&list[n], "%s/%s", paths[i], e->d_name) < 0) goto oom;
            n++;
        }
        if (dir != NULL) {
            closedir(dir);
            dir = NULL;
            if (n == first) {
                complain("%s: no .json document in the folder", paths[i]);
                goto fail;
            }
            qsort(list + first, n - first, sizeof *list, by_name);
            continue;
        }
        if (n == cap) {
            char **grown = realloc(list, (cap = cap ? 2 * cap : 64) * sizeof *grown);
            if (grown == NULL) goto oom;
            list = grown;
        }
        if ((list[n] = strdup(paths[i])) == NULL) goto oom;
        n++;
        continue;
    oom:
        if (dir != NULL) closedir(dir);
        complain("out of memory");
        goto fail;
    }
    *out = list;
    *out_count = n;
    return 0;
fail:
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
    return 2;
}

static int run_trend(char **args, size_t arg_count, const options *opt)
{
    if (arg_count == 0) return usage_error("trend needs FILE... or a folder");
    char **paths = NULL;
    size_t count = 0;
    if (expand_inputs(args, arg_count, &paths, &count) != 0) return 2;
    eb_results_doc *docs = calloc(count ? count : 1, sizeof *docs);
    int status = docs == NULL ? 2 : 0;
    char why[EB_RESULTS_WHY_LEN];
    for (size_t i = 0; i < count && status == 0; i++)
        if (eb_results_load_file(paths[i], opt->max_input_bytes, &docs[i], why, sizeof why) != 0) {
            complain("%s", why);
            status = 2;
        }
    if (status == 0) {
        eb_report *report = NULL;
        eb_trend_outcome outcome;
        if (eb_trend_build(docs, count, opt->has_filter ? &opt->filter : NULL, &opt->trend, &report,
                           &outcome, why, sizeof why) != 0) {
            complain("%s", why);
            status = 2;
        } else {
            status = emit(report, opt);
        }
        eb_report_free(report);
    }
    for (size_t i = 0; docs != NULL && i < count; i++)
        eb_results_free(&docs[i]);
    free(docs);
    for (size_t i = 0; i < count; i++)
        free(paths[i]);
    free(paths);
    return status;
}

int main(int argc, char **argv)
{
    enum {
        OPT_FORMAT = 256,
        OPT_FILTER,
        OPT_ALPHA,
        OPT_FAIL_ABOVE,
        OPT_ALLOW_MISSING,
        OPT_MAX_INPUT_BYTES,
        OPT_VERSION,
        OPT_ALLOW_INTERRUPTED,
        OPT_ORDER,
        OPT_REPO,
        OPT_THRESHOLD,
        OPT_WINDOW,
    };
    static const struct option longopts[] = {
        {"format", required_argument, NULL, OPT_FORMAT},
        {"filter", required_argument, NULL, OPT_FILTER},
        {"alpha", required_argument, NULL, OPT_ALPHA},
        {"fail-above", required_argument, NULL, OPT_FAIL_ABOVE},
        {"allow-missing", no_argument, NULL, OPT_ALLOW_MISSING},
        {"max-input-bytes", required_argument, NULL, OPT_MAX_INPUT_BYTES},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {"allow-interrupted", no_argument, NULL, OPT_ALLOW_INTERRUPTED},
        {"order", required_argument, NULL, OPT_ORDER},
        {"repo", required_argument, NULL, OPT_REPO},
        {"threshold", required_argument, NULL, OPT_THRESHOLD},
        {"window", required_argument, NULL, OPT_WINDOW},
        {NULL, 0, NULL, 0},
    };
    options opt = {.format = eb_report_formats[0],
                   .max_input_bytes = EB_RESULTS_MAX_BYTES_DEFAULT,
                   .diff = {.alpha = EB_UTEST_DEFAULT_ALPHA},
                   .export_format = EB_EXPORT_CSV,
                   .trend = {.order = EB_TREND_BY_DATE,
                             .alpha = EB_UTEST_DEFAULT_ALPHA,
                             .threshold_pct = EB_TREND_DEFAULT_THRESHOLD_PCT,
                             .window = EB_TREND_DEFAULT_WINDOW}};
    bool trend_flag = false; /* a flag only trend takes */
    char what[512];

    opterr = 0; /* our own one-line messages */
    int c;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'h':
            usage(stdout);
            return 0;
        case OPT_VERSION:
            printf("%s %s\n", PROG, EB_VERSION);
            return 0;
        case OPT_FORMAT:
            opt.format_name = optarg; /* which formats: the command's */
            break;
        case OPT_ALLOW_INTERRUPTED:
            opt.allow_interrupted = opt.trend.allow_interrupted = true;
            break;
        case OPT_ORDER:
            trend_flag = true;
            if (strcmp(optarg, "date") == 0)
                opt.trend.order = EB_TREND_BY_DATE;
            else if (strcmp(optarg, "revision") == 0)
                opt.trend.order = EB_TREND_BY_REVISION;
            else if (strcmp(optarg, "given") == 0)
                opt.trend.order = EB_TREND_AS_GIVEN;
            else {
                snprintf(what, sizeof what,
                         "--order '%s' is not an order: use date, revision or given", optarg);
                return usage_error(what);
            }
            break;
        case OPT_REPO:
            trend_flag = true;
            opt.trend.repo = optarg;
            break;
        case OPT_THRESHOLD:
            trend_flag = true;
            if (!parse_number(optarg, &opt.trend.threshold_pct) || opt.trend.threshold_pct < 0) {
                snprintf(what, sizeof what,
                         "--threshold '%s' must be a percentage, 0 or more (10 means 10%%)",
                         optarg);
                return usage_error(what);
            }
            break;
        case OPT_WINDOW: {
            trend_flag = true;
            double w;
            if (!parse_number(optarg, &w) || w != floor(w) || w < 2 || w > 100) {
                snprintf(what, sizeof what, "--window '%s' must be a whole number of runs, 2..100",
                         optarg);
                return usage_error(what);
            }
            opt.trend.window = (size_t)w;
            break;
        }
        case OPT_FILTER:
            opt.filter_text = optarg;
            break;
        case OPT_ALPHA:
            if (!parse_number(optarg, &opt.diff.alpha) || opt.diff.alpha <= 0.0 ||
                opt.diff.alpha >= 1.0) {
                snprintf(what, sizeof what, "--alpha '%s' must be a number between 0 and 1",
                         optarg);
                return usage_error(what);
            }
            break;
        case OPT_FAIL_ABOVE:
            if (!parse_number(optarg, &opt.diff.fail_above_pct) || opt.diff.fail_above_pct < 0) {
                snprintf(what, sizeof what,
                         "--fail-above '%s' must be a percentage, 0 or more (5 means 5%%)", optarg);
                return usage_error(what);
            }
            opt.diff.fail_above_set = true;
            break;
        case OPT_ALLOW_MISSING:
            opt.diff.allow_missing = true;
            break;
        case OPT_MAX_INPUT_BYTES:
            if (!parse_bytes(optarg, &opt.max_input_bytes)) {
                snprintf(what, sizeof what,
                         "--max-input-bytes '%s' must be a size above 0: bytes, or with K, M or "
                         "G (1G is 1 GiB)",
                         optarg);
                return usage_error(what);
            }
            break;
        case ':':
            snprintf(what, sizeof what, "%s needs a value", argv[optind - 1]);
            return usage_error(what);
        default:
            snprintf(what, sizeof what, "unknown option '%s'", argv[optind - 1]);
            return usage_error(what);
        }
    }
    if (optind >= argc) return usage_error("no command: use summary, diff, export or trend");
    const char *command = argv[optind];
    char **files = argv + optind + 1;
    size_t file_count = (size_t)(argc - optind - 1);
    bool is_summary = strcmp(command, "summary") == 0, is_diff = strcmp(command, "diff") == 0;
    bool is_export = strcmp(command, "export") == 0, is_trend = strcmp(command, "trend") == 0;
    if (!is_summary && !is_diff && !is_export && !is_trend) {
        snprintf(what, sizeof what, "unknown command '%s': use summary, diff, export or trend",
                 command);
        return usage_error(what);
    }
    /* --alpha is diff's and trend's (the same U test). */
    opt.trend.alpha = opt.diff.alpha;
    if (!is_diff && (opt.diff.fail_above_set || opt.diff.allow_missing)) {
        snprintf(what, sizeof what, "--fail-above and --allow-missing belong to diff, not %s",
                 command);
        return usage_error(what);
    }
    if (!is_diff && !is_trend && opt.diff.alpha != EB_UTEST_DEFAULT_ALPHA) {
        snprintf(what, sizeof what, "--alpha belongs to diff and trend, not %s", command);
        return usage_error(what);
    }
    if (!is_trend && trend_flag) {
        snprintf(what, sizeof what,
                 "--order, --repo, --threshold and --window belong to trend, not %s", command);
        return usage_error(what);
    }
    if (opt.allow_interrupted && !is_export && !is_trend) {
        snprintf(what, sizeof what, "--allow-interrupted belongs to export and trend, not %s",
                 command);
        return usage_error(what);
    }
    if (opt.trend.repo != NULL && opt.trend.order != EB_TREND_BY_REVISION)
        return usage_error("--repo is where --order revision reads git's history; give --order "
                           "revision too");
    if (is_export && opt.format_name != NULL &&
        !eb_export_format_find(opt.format_name, &opt.export_format)) {
        snprintf(what, sizeof what, "--format '%s' is not an export format: use %s",
                 opt.format_name, eb_export_format_names());
        return usage_error(what);
    }
    if (!is_export && opt.format_name != NULL &&
        (opt.format = eb_report_format_find(opt.format_name)) == NULL) {
        char names[200];
        eb_report_format_names(names, sizeof names);
        snprintf(what, sizeof what, "--format '%s' is not a format: use %s", opt.format_name,
                 names);
        return usage_error(what);
    }
    if (opt.diff.allow_missing && !opt.diff.fail_above_set)
        return usage_error("--allow-missing relaxes the --fail-above gate; give --fail-above too");

    if (opt.filter_text != NULL) {
        int rc = regcomp(&opt.filter, opt.filter_text, REG_EXTENDED | REG_NOSUB);
        if (rc != 0) {
            char why[256];
            regerror(rc, &opt.filter, why, sizeof why);
            snprintf(what, sizeof what, "--filter '%s' is not a POSIX extended regex: %s",
                     opt.filter_text, why);
            return usage_error(what);
        }
        opt.has_filter = true;
    }
    int status = is_summary  ? run_summary(files, file_count, &opt)
                 : is_diff   ? run_diff(files, file_count, &opt)
                 : is_export ? run_export(files, file_count, &opt)
                             : run_trend(files, file_count, &opt);
    if (opt.has_filter) regfree(&opt.filter);
    return status;
}
